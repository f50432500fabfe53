package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;

/**
 * A replication slot as Postgres reports it: where the reader confirmed, how much WAL it holds back, whether it is
 * still usable, and who reads it now. Positions are unsigned longs ({@link Lsn}); 0 when Postgres reports none.
 *
 * @param active              a session streams from it now
 * @param activePid           that session's process id, or null
 * @param activeApplication   that session's application_name and client address ({@code pg-turso-sync cdc @ 10.0.0.7}), or null
 * @param confirmedFlushLsn   the position the reader confirmed: a new stream starts after it
 * @param retainedBytes       WAL kept for the slot ({@code pg_current_wal_lsn() - restart_lsn}): what it costs on disk
 * @param pendingBytes        WAL written since the confirmed position ({@code pg_current_wal_lsn() - confirmed_flush_lsn})
 * @param walStatus           {@code reserved}, {@code extended}, {@code unreserved} or {@code lost} (Postgres 13+), else null
 * @param safeWalSizeBytes    WAL that may still be written before the slot is lost, or null when unlimited or unknown
 * @param unlimitedRetention  {@code max_slot_wal_keep_size} is -1: a stopped reader's slot can fill the disk
 */
public record SlotInfo(String slot, String plugin, String database, boolean active, Integer activePid,
        String activeApplication, long restartLsn, long confirmedFlushLsn, long currentLsn, long retainedBytes,
        long pendingBytes, String walStatus, Long safeWalSizeBytes, boolean unlimitedRetention) {

    /** Postgres removed WAL the slot still needed: it can never stream again; drop it and copy the tables anew. */
    public boolean invalidated() {
        return "lost".equals(walStatus);
    }

    @Override
    public String toString() {
        return "slot " + slot + ": confirmed " + Lsn.format(confirmedFlushLsn) + ", retains " + retainedBytes
                + " bytes of WAL, " + (walStatus == null ? "" : "wal_status " + walStatus + ", ")
                + (active ? "read by PID " + activePid + " (" + activeApplication + ")" : "not read now");
    }
}
