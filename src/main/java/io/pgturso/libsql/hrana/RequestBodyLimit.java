package io.pgturso.libsql.hrana;

/**
 * The largest request body one server (or a proxy before it) takes, learned from its HTTP 413 answers and shared by
 * every connection to it, so that batches are cut to fit instead of being refused again: after a refusal the size
 * settles between the largest body accepted and the smallest refused (each refusal narrows the gap), and after
 * {@value #PROBE_AFTER} accepted requests one body twice the refused size is allowed, so a raised limit is found again.
 */
final class RequestBodyLimit {

    /** No limit known. */
    static final long NONE = Long.MAX_VALUE;
    /** Accepted requests before a larger body is tried; doubles after each larger body refused, up to the maximum. */
    static final int PROBE_AFTER = 64;
    static final int MAX_PROBE_AFTER = 4096;
    /** The size counts as settled once the gap between accepted and refused is under this part of the refused size. */
    private static final int SETTLED = 8;

    private long fits;
    private long refused = NONE;
    private int acceptedSinceRefusal;
    private int probeAfter = PROBE_AFTER;
    private boolean probing;

    /** The most body bytes to plan the next requests with; now and then more than known to fit (a probe). */
    synchronized long maxBodyBytes() {
        if (refused == NONE) {
            return NONE;
        }
        if (acceptedSinceRefusal >= probeAfter) {
            acceptedSinceRefusal = 0;
            probing = true;
            return refused > NONE / 2 ? NONE : refused * 2;
        }
        if (fits == 0) {
            // down quickly from a default far above a proxy's limit: the search goes up again from what fits
            return Math.max(1, refused / 4);
        }
        return refused - fits <= refused / SETTLED ? fits : fits + (refused - fits) / 2;
    }

    /** A body of {@code bytes} was accepted. */
    synchronized void accepted(long bytes) {
        acceptedSinceRefusal++;
        if (bytes >= refused) {
            // larger than one refused before: the limit was raised, and the next refusal tells the new one
            refused = NONE;
            probeAfter = PROBE_AFTER;
            probing = false;
        }
        fits = Math.max(fits, bytes);
    }

    /** A body of {@code bytes} was refused as too large (HTTP 413). */
    synchronized void refused(long bytes) {
        if (probing && bytes > refused) {
            // the probe found the limit unchanged: probe less often
            probeAfter = Math.min(probeAfter * 2, MAX_PROBE_AFTER);
            probing = false;
        }
        refused = Math.min(refused, bytes);
        if (fits >= refused) {
            fits = 0; // the limit was lowered: what passed before may not pass now
        }
        acceptedSinceRefusal = 0;
    }
}
