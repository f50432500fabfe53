package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.PgOutputException;
import io.pgturso.cdc.pgoutput.PgOutputMessage;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Begin;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Change;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Commit;
import io.pgturso.cdc.pgoutput.PgOutputMessage.LogicalMessage;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Origin;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers a transaction's changes between Begin and Commit into {@link PgTransaction}s, never holding more than
 * {@code maxChanges} of them nor (beyond a single change) more than {@code maxBytes} of their messages: a larger
 * transaction goes out in parts. A transaction with no change for the publication only moves the position on.
 */
final class TransactionAssembler {

    /** Where assembled transactions and bare positions go, in stream order. */
    interface Output {
        void transaction(PgTransaction transaction);

        /** A transaction with nothing to apply ended here. */
        void position(long lsn);
    }

    private final int maxChanges;
    private final long maxBytes;
    private final Output output;
    private Begin begin;
    private String origin;
    private int part;
    private List<Change> changes;
    private long bytes;

    TransactionAssembler(int maxChanges, long maxBytes, Output output) {
        if (maxChanges < 1) {
            throw new IllegalArgumentException("A transaction part holds at least 1 change, got " + maxChanges);
        }
        this.maxChanges = maxChanges;
        this.maxBytes = maxBytes;
        this.output = output;
    }

    /** Takes the next message; {@code size} is its length on the wire (what holding it costs). */
    void accept(PgOutputMessage message, int size) {
        if (message instanceof Begin b) {
            if (begin != null) {
                throw new PgOutputException("Begin of transaction " + b.xid() + " inside transaction " + begin.xid());
            }
            begin = b;
            origin = null;
            part = 0;
            changes = new ArrayList<>();
            bytes = 0;
        } else if (message instanceof Origin o) {
            origin = o.name();
        } else if (message instanceof Change change) {
            add(change, size);
        } else if (message instanceof Commit commit) {
            commit(commit);
        }
        // Relation and Type messages are in the decoder's cache; each change names its relation already
    }

    private void add(Change change, int size) {
        if (begin == null) {
            if (change instanceof LogicalMessage) {
                return; // a non-transactional message stands outside any transaction: nothing to apply
            }
            throw new PgOutputException("change outside a transaction: " + change.getClass().getSimpleName());
        }
        if (changes.size() >= maxChanges || !changes.isEmpty() && bytes + size > maxBytes) {
            output.transaction(part(false, 0L));
            part++;
            changes = new ArrayList<>();
            bytes = 0;
        }
        changes.add(change);
        bytes += size;
    }

    private void commit(Commit commit) {
        if (begin == null) {
            throw new PgOutputException("Commit at " + commit.commitLsn() + " without a Begin");
        }
        if (part == 0 && changes.isEmpty()) {
            reset();
            output.position(commit.endLsn());
            return;
        }
        PgTransaction last = part(true, commit.endLsn());
        reset();
        output.transaction(last);
    }

    private PgTransaction part(boolean last, long endLsn) {
        return new PgTransaction(begin.xid(), begin.finalLsn(), endLsn, begin.commitTime(), origin, part, last, changes);
    }

    /** Between transactions: no Begin without its Commit yet. */
    boolean inTransaction() {
        return begin != null;
    }

    /** Forgets a transaction cut short (the stream broke): Postgres sends it again, whole. */
    void reset() {
        begin = null;
        changes = null;
    }
}
