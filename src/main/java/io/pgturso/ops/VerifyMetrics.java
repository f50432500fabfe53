package io.pgturso.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgturso.verify.VerifyRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gauges of each table's last {@code verify} outcome, read from the target's {@code pgturso_verify_runs} when scraped. */
public class VerifyMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyMetrics.class);
    // One scrape reads every gauge: one query serves them all.
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final VerifyRuns runs;
    private volatile Map<String, VerifyRuns.Run> last = Map.of();
    private volatile Instant readAt = Instant.MIN;

    public VerifyMetrics(VerifyRuns runs) {
        this.runs = runs;
    }

    /** Registers the gauges of these tables (route ids). */
    public void register(MeterRegistry registry, List<String> tables) {
        for (String table : tables) {
            for (String outcome : VerifyRuns.OUTCOMES) {
                gauge("pgturso.verify.last.outcome", "1 for the outcome of the table's last verify, else 0",
                        table, run -> run == null ? 0 : run.outcome().equals(outcome) ? 1 : 0).tag("outcome", outcome)
                        .register(registry);
            }
            gauge("pgturso.verify.last.differences", "Rows the table's last verify found missing from the target",
                    table, run -> run == null ? Double.NaN : run.missing()).tag("kind", "missing").register(registry);
            gauge("pgturso.verify.last.differences", "Rows the table's last verify found extra in the target",
                    table, run -> run == null ? Double.NaN : run.extra()).tag("kind", "extra").register(registry);
            gauge("pgturso.verify.last.differences", "Rows the table's last verify found with other values",
                    table, run -> run == null ? Double.NaN : run.changed()).tag("kind", "changed").register(registry);
            gauge("pgturso.verify.last.run.timestamp.seconds", "When the table's last verify finished (Unix time)",
                    table, run -> run == null ? Double.NaN : run.finishedAt().toEpochMilli() / 1000.0).register(registry);
        }
    }

    private Gauge.Builder<VerifyMetrics> gauge(String name, String description, String table,
                                               ToDoubleFunction<VerifyRuns.Run> value) {
        // held strongly: nothing else keeps this object, and a gauge's weak reference would read NaN after a GC
        return Gauge.builder(name, this, m -> value.applyAsDouble(m.run(table))).description(description).tag("table", table)
                .strongReference(true);
    }

    private VerifyRuns.Run run(String table) {
        Instant now = Instant.now();
        if (readAt.plus(FRESH).isBefore(now)) {
            readAt = now;
            try {
                last = runs.all().stream().collect(Collectors.toMap(VerifyRuns.Run::table, r -> r, (a, b) -> b));
            } catch (RuntimeException e) {
                // an unreachable target shows in health; the gauges keep the values read last
                LOG.debug("cannot read {}: {}", "pgturso_verify_runs", e.toString());
            }
        }
        return last.get(table);
    }
}
