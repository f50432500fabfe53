package io.pgturso.cdc;

import java.time.Instant;

/** Where a reader stands, for status pages and metrics: read by other threads, so every field is volatile. */
public final class StreamProgress {
    private volatile long confirmedLsn;
    private volatile Instant lastAppliedCommitTime;
    private volatile Instant lastAppliedAt;
    private volatile Instant caughtUpAt;
    private volatile boolean connected;
    private volatile String lastError;
    private volatile long deliveries;
    private volatile long reconnects;

    /** The position confirmed to Postgres (or about to be, with the next status). */
    public long confirmedLsn() {
        return confirmedLsn;
    }

    /** When the last applied transaction committed in Postgres, or null: now minus this is how far behind the target is while changes wait. */
    public Instant lastAppliedCommitTime() {
        return lastAppliedCommitTime;
    }

    /** When the last delivery completed, or null. */
    public Instant lastAppliedAt() {
        return lastAppliedAt;
    }

    /**
     * When the reader last found nothing more to read with everything it had received applied, or null: after the last
     * delivery completed, the target held everything Postgres had decoded for the stream.
     */
    public Instant caughtUpAt() {
        return caughtUpAt;
    }

    /** A stream is open. */
    public boolean connected() {
        return connected;
    }

    /** The last failure (connection, protocol or delivery), or null. */
    public String lastError() {
        return lastError;
    }

    /** Deliveries handed on (including ones that failed). */
    public long deliveries() {
        return deliveries;
    }

    /** Streams opened again after a failure. */
    public long reconnects() {
        return reconnects;
    }

    void confirmed(long lsn) {
        confirmedLsn = lsn;
    }

    void applied(PgTransaction last) {
        lastAppliedCommitTime = last.commitTime();
        lastAppliedAt = Instant.now();
    }

    void caughtUp() {
        caughtUpAt = Instant.now();
    }

    void connected(boolean now) {
        connected = now;
    }

    void failed(String error) {
        lastError = error;
    }

    void delivered() {
        deliveries++;
    }

    void reconnected() {
        reconnects++;
    }
}
