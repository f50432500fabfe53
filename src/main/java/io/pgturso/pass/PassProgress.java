package io.pgturso.pass;

import io.pgturso.source.PendingRows;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a progress line for a pass that runs long: rows so far, rate, rows still pending and the time left. */
public class PassProgress {
    private static final Logger LOG = LoggerFactory.getLogger(PassProgress.class);

    private final long intervalNanos;

    /** {@code interval} between lines (and before the first); zero logs none. */
    public PassProgress(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Logs a line when the interval has passed since the pass started or since its last line. */
    void maybeLog(TablePass pass) {
        long now = System.nanoTime();
        if (intervalNanos <= 0 || now - pass.lastProgressNanos() < intervalNanos) {
            return;
        }
        pass.progressLogged(now);
        LOG.info("{}", line(pass.getSpec().routeId(), pass.written() + pass.deadLettered(), pass.elapsedMillis(),
                pass.pendingAtStart()));
    }

    /** {@code orders: 120000 rows so far in PT12S (10000 rows/s), 880000 pending, about PT1M28S left}. */
    static String line(String table, long done, long elapsedMillis, long pendingAtStart) {
        double rate = elapsedMillis == 0 ? 0 : done * 1000.0 / elapsedMillis;
        long pending = Math.max(0, pendingAtStart - done);
        String pendingText = pendingAtStart >= PendingRows.CAP ? "at least " + pending : Long.toString(pending);
        String left = rate <= 0 ? "unknown" : "about " + Duration.ofSeconds(Math.round(pending / rate));
        return table + ": " + done + " rows so far in " + Duration.ofSeconds(elapsedMillis / 1000) + " ("
                + Math.round(rate) + " rows/s), " + pendingText + " pending, " + left + " left";
    }
}
