package io.pgturso.reconcile;

import io.pgturso.verify.ComparedKey;

/**
 * What one run of a table's delete reconciliation did.
 *
 * @param position the last key reconciled, where the next run continues; null once the end was reached (next run
 *     starts over)
 * @param skipped why nothing was compared, or null
 * @param stopped why the run stopped before its last chunk (a pass holds the table), or null
 */
public record ReconcileRun(String table, int chunks, int differingChunks, long deleted, ComparedKey position, String skipped,
        String stopped) {

    /** The run's log line. */
    @Override
    public String toString() {
        if (skipped != null) {
            return table + ": delete reconciliation skipped: " + skipped;
        }
        if (stopped != null) {
            return table + ": delete reconciliation stopped after " + chunks + " chunks (" + differingChunks + " differed, "
                    + deleted + " rows deleted): " + stopped + "; the next run continues "
                    + (position == null ? "from the start" : "after " + position);
        }
        return table + ": delete reconciliation compared " + chunks + " chunks (" + differingChunks + " differed), deleted "
                + deleted + " rows from the target, " + (position == null ? "reached the end; next run starts over"
                : "next run continues after " + position);
    }
}
