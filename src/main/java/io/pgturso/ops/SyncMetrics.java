package io.pgturso.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pgturso.pass.PassListener;
import io.pgturso.pass.TenantListener;
import io.pgturso.reconcile.ReconcileRun;
import io.pgturso.route.UsedByRoutes;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * The sync's Prometheus metrics, bean {@code syncMetrics}: per table rows written, dead-lettered, deleted and skipped,
 * pass durations, lag, pending rows, open dead letters, checkpoint age, reconciliation outcomes (see README).
 */
public class SyncMetrics implements PassListener, TenantListener {
    private final MeterRegistry registry;
    private final SyncHealth health;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    public SyncMetrics(MeterRegistry registry, SyncHealth health) {
        this.registry = registry;
        this.health = health;
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void passStarted(String table, long pending, long openDeadLetters, Instant checkpointSavedAt) {
        if (gauged.add(table)) {
            Gauge.builder("pgturso.lag.seconds", health, h -> h.lag(table, Instant.now()).toMillis() / 1000.0).tag("table", table)
                    .description("Seconds since the start of the table's last successful pass (everything committed before it is copied)")
                    .register(registry);
            Gauge.builder("pgturso.pending.rows", health, h -> h.table(table).pending()).tag("table", table)
                    .description("Rows after the checkpoint, counted at pass start (up to 1000000) minus those copied since")
                    .register(registry);
            Gauge.builder("pgturso.dead.letters.open", health, h -> h.table(table).openDeadLetters()).tag("table", table)
                    .description("Open dead letters of the table, counted at pass start plus those added since")
                    .register(registry);
            Gauge.builder("pgturso.checkpoint.age.seconds", health, h -> checkpointAge(h.table(table))).tag("table", table)
                    .description("Seconds since the table's checkpoint last moved").register(registry);
        }
    }

    private static double checkpointAge(TableState state) {
        return state.checkpointSavedAt() == null ? Double.NaN
                : Duration.between(state.checkpointSavedAt(), Instant.now()).toMillis() / 1000.0;
    }

    @Override
    public void pageWritten(String table, long written, long deadLettered, long deleted) {
        rows("pgturso.rows.written", "Rows upserted into the target", table, written);
        rows("pgturso.rows.dead.lettered", "Rows sent to the dead letters", table, deadLettered);
        rows("pgturso.rows.deleted", "Rows deleted from the target because Postgres marks them deleted (softDelete)", table, deleted);
    }

    /** Counts rows a row hook left out of the copy. */
    @Override
    public void rowsSkipped(String table, long rows) {
        rows("pgturso.rows.skipped", "Rows read but left out of the copy by a row hook", table, rows);
    }

    private void rows(String name, String description, String table, long n) {
        Counter counter = Counter.builder(name).description(description).tag("table", table).register(registry);
        if (n > 0) {
            counter.increment(n);
        }
    }

    @Override
    public void passEnded(String table, Instant started, Duration took, String error) {
        Timer.builder("pgturso.pass.duration").description("Duration of the table's passes, by outcome")
                .tag("table", table).tag("outcome", error == null ? "success" : "failure").register(registry).record(took);
    }

    /** A tenant database was created while writing the table (labelled by table: tenants are too many for labels). */
    @Override
    public void tenantCreated(String table, String database) {
        Counter.builder("pgturso.tenant.creations").description("Tenant databases created by the table's passes")
                .tag("table", table).register(registry).increment();
    }

    /** A page was written into this many tenant databases. */
    @Override
    public void tenantsWritten(String table, int databases) {
        Counter.builder("pgturso.tenant.writes").description("Writes into tenant databases (one per tenant and page)")
                .tag("table", table).register(registry).increment(databases);
    }

    /** Gauges of the tenant databases: registered ({@code registered}) and open now ({@code open}). */
    public void tenantGauges(java.util.function.Supplier<Number> registered, java.util.function.Supplier<Number> open) {
        Gauge.builder("pgturso.tenant.databases", registered, s -> s.get().doubleValue())
                .description("Tenant databases created so far (registered in the control database)").register(registry);
        Gauge.builder("pgturso.tenant.databases.open", open, s -> s.get().doubleValue())
                .description("Tenant databases open now (at most sync.fan-out.max-open)").register(registry);
    }

    /** A pass retried after an outage. */
    public void passRetried(String table) {
        Counter.builder("pgturso.pass.retries").description("Retries of passes that met an outage")
                .tag("table", table).register(registry).increment();
    }

    /** A statement sent to a database ({@code source} or {@code target}); {@code error} is null, or the kind of failure. */
    public void statement(String database, String error) {
        Counter.builder("pgturso.statements").description("Statements (and batches) sent by the routes, by database and outcome")
                .tag("database", database).tag("outcome", error == null ? "ok" : "error").register(registry).increment();
        if (error != null) {
            Counter.builder("pgturso.statement.errors").description("Failed statements by database and kind")
                    .tag("database", database).tag("kind", error).register(registry).increment();
        }
    }

    /** Route step: one table's hard-delete reconciliation run ended (body: the run). */
    @UsedByRoutes("delete-reconciliation: bean syncMetrics, method reconciled")
    public void reconciled(Exchange exchange) {
        ReconcileRun run = exchange.getMessage().getBody(ReconcileRun.class);
        reconcileRun(run.table(), run.skipped() == null ? "success" : "skipped");
        Counter.builder("pgturso.reconcile.rows.deleted").description("Rows deleted from the target by hard-delete reconciliation")
                .tag("table", run.table()).register(registry).increment(run.deleted());
    }

    /** Route step: one table's hard-delete reconciliation run failed (body: the table). */
    @UsedByRoutes("delete-reconciliation: bean syncMetrics, method reconcileFailed")
    public void reconcileFailed(Exchange exchange) {
        reconcileRun(exchange.getMessage().getBody(String.class), "failure");
    }

    private void reconcileRun(String table, String outcome) {
        Counter.builder("pgturso.reconcile.runs").description("Hard-delete reconciliation runs by outcome")
                .tag("table", table).tag("outcome", outcome).register(registry).increment();
    }
}
