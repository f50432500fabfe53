package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Change;
import java.time.Instant;
import java.util.List;

/**
 * One Postgres transaction as the stream delivers it: its changes in the order they were made, each naming its table.
 * A transaction with more changes than the reader holds at once comes in parts ({@link #part()} 0, 1, ...; the last
 * one flagged), each applied in its own target transaction; after a failure Postgres sends it again from part 0.
 *
 * @param xid        the transaction id (unsigned)
 * @param commitLsn  the LSN of its commit record: transactions arrive in this order
 * @param endLsn     the end of its commit record, the position to store with its rows and confirm; known with the
 *                   last part only ({@link Lsn#NONE} in the parts before)
 * @param commitTime when it committed in Postgres
 * @param origin     the replication origin it was replayed from, or null
 * @param part       0 for the first (or only) part
 * @param lastPart   this part ends the transaction
 * @param changes    inserts, updates, deletes, truncates (and logical messages when asked for)
 */
public record PgTransaction(long xid, long commitLsn, long endLsn, Instant commitTime, String origin, int part,
        boolean lastPart, List<Change> changes) {

    public PgTransaction {
        changes = List.copyOf(changes);
    }

    /** The whole transaction in one piece. */
    public boolean whole() {
        return part == 0 && lastPart;
    }

    /** Where the stream stands once this is applied: {@link #endLsn()} for a last part, {@link Lsn#NONE} before it. */
    public long confirmLsn() {
        return lastPart ? endLsn : Lsn.NONE;
    }

    @Override
    public String toString() {
        return "transaction " + xid + " committed at " + Lsn.format(commitLsn) + " (" + changes.size() + " changes"
                + (whole() ? "" : ", part " + part + (lastPart ? ", last" : "")) + ")";
    }
}
