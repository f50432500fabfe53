package io.pgturso.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** One readiness check per table, {@code table:NAME}: DOWN when its last pass failed or its lag exceeds the limit. */
public class TableHealthChecks implements HealthCheckRepository {
    private final SyncHealth health;
    private final Supplier<List<String>> tables;
    private final Duration maxLag;
    private boolean enabled = true;

    /** {@code maxLag} zero: no limit. */
    public TableHealthChecks(SyncHealth health, Supplier<List<String>> tables, Duration maxLag) {
        this.health = health;
        this.tables = tables;
        this.maxLag = maxLag;
    }

    @Override
    public String getId() {
        return "tables";
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        return enabled ? tables.get().stream().map(TableCheck::new) : Stream.empty();
    }

    /** The check of one table. */
    private final class TableCheck extends AbstractHealthCheck {
        private final String table;

        TableCheck(String table) {
            super("pgturso", "table:" + table);
            this.table = table;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, java.util.Map<String, Object> options) {
            TableState state = health.table(table);
            Duration lag = health.lag(table, Instant.now());
            builder.detail("lag", lag.withNanos(0).toString());
            builder.detail("pending", state.pending());
            builder.detail("open.dead.letters", state.openDeadLetters());
            if (state.lastError() != null) {
                builder.message(table + ": last pass failed: " + state.lastError()).down();
            } else if (!maxLag.isZero() && lag.compareTo(maxLag) > 0) {
                builder.message(table + ": last successful pass started " + lag.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                        + " ago, more than sync.health.max-lag-ms (" + maxLag + ")").down();
            } else {
                builder.up();
            }
        }
    }
}
