package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Value;
import java.util.List;

/**
 * The JSON bytes of one request being planned, against its limit. Arguments are first counted by a bound that costs
 * nothing per character ({@link RequestSize#bound}); only when that bound no longer shows the request fits are they
 * counted exactly, those already taken included, so a request is cut exactly where counting every character puts the
 * cut. Far below the limit (the usual case) no text is scanned before it is written.
 */
final class RequestBytes {
    private final long max;
    private final List<BoundStatement> entries;
    private final int firstEntry;
    /** Bytes beside the arguments: the envelope, steps and statement texts (always exact). */
    private long fixed = RequestSize.FIXED;
    /** The arguments' bytes: an upper bound until {@link #exact}, then exact. */
    private long args;
    private boolean exact;
    /** The arguments' bytes of the entry last asked about, counted the same way. */
    private long pending;

    /** A request of the entries from {@code firstEntry}, at most {@code max} bytes. */
    RequestBytes(long max, List<BoundStatement> entries, int firstEntry) {
        this.max = max;
        this.entries = entries;
        this.firstEntry = firstEntry;
    }

    /** Whether entry {@code entry} (the next after those taken), with {@code more} bytes beside its arguments, fits. */
    boolean fits(int entry, long more) {
        List<Value> values = entries.get(entry).args();
        if (!exact) {
            long bound = RequestSize.bound(values);
            if (fixed + args + more + bound <= max) {
                pending = bound;
                return true;
            }
            long counted = 0;
            for (int k = firstEntry; k < entry; k++) {
                counted += RequestSize.of(entries.get(k).args());
            }
            args = counted;
            exact = true;
        }
        pending = RequestSize.of(values);
        return fixed + args + more + pending <= max;
    }

    /** Takes the entry last asked about ({@link #fits}), with {@code more} bytes beside its arguments. */
    void take(long more) {
        fixed += more;
        args += pending;
    }
}
