package io.pgturso.libsql.jdbc;

import java.time.Duration;

/**
 * Rows per batch request, kept under the server's transaction window: halved after a request that was slow or timed
 * out (libsql-server rolls back a write transaction held over 5 s while another writer waits), doubled back towards
 * the configured maximum after fast ones.
 */
final class AdaptiveRequestSize {

    /** A request slower than this is cut in half next time. */
    static final Duration SLOW = Duration.ofSeconds(2);
    /** A request faster than this lets the size grow again. */
    static final Duration FAST = Duration.ofMillis(500);
    private static final int MIN_ROWS = 16;

    private final int maxRows;
    private volatile int rows;

    AdaptiveRequestSize(int maxRows) {
        this.maxRows = maxRows;
        this.rows = maxRows;
    }

    int rows() {
        return rows;
    }

    /** Records a request of {@code sent} rows that took {@code took}. */
    void answered(int sent, Duration took) {
        if (took.compareTo(SLOW) > 0) {
            shrink(sent);
        } else if (took.compareTo(FAST) < 0 && sent >= rows) {
            rows = (int) Math.min(maxRows, rows * 2L);
        }
    }

    /** Records a request of {@code sent} rows that timed out or was rolled back by the server's time limit. */
    void shrink(int sent) {
        rows = Math.max(Math.min(MIN_ROWS, maxRows), Math.min(rows, sent) / 2);
    }
}
