package io.pgturso.cdc.apply;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgturso.cdc.ReplicationSetup;
import io.pgturso.cdc.SlotInfo;
import io.pgturso.cdc.StreamProgress;
import io.pgturso.config.ConfigException;
import io.pgturso.ops.SyncHealth;
import io.pgturso.pass.PassListener;
import io.pgturso.source.SourceCatalog;
import io.pgturso.source.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the slot so that it never fills the disk unseen: every few seconds its state from Postgres (confirmed
 * position, WAL retained, invalidated), served as {@code pgturso_cdc_*} metrics; readiness DOWN with the fix when the
 * slot is invalidated or a streamed table was dropped; the tables' lag kept at zero while the stream is caught up.
 */
final class CdcMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(CdcMonitor.class);
    static final String SLOT_PROBLEM = "cdc-slot";
    static final String TABLES_PROBLEM = "cdc-tables";

    private final CdcOptions options;
    private final Supplier<ReplicationSetup> setup;
    private final CdcTables tables;
    private final SourceCatalog catalog;
    private final SyncHealth health;
    private final PassListener listener;
    private final Supplier<StreamProgress> progress;
    private final Supplier<Boolean> reading;
    private final Counter transactions;
    private final Counter changes;
    private volatile SlotInfo slot;

    CdcMonitor(CdcOptions options, Supplier<ReplicationSetup> setup, CdcTables tables, SourceCatalog catalog,
            SyncHealth health, PassListener listener, MeterRegistry meters, Supplier<StreamProgress> progress,
            Supplier<Boolean> reading) {
        this.options = options;
        this.setup = setup;
        this.tables = tables;
        this.catalog = catalog;
        this.health = health;
        this.listener = listener;
        this.progress = progress;
        this.reading = reading;
        String name = options.slot();
        gauge(meters, "pgturso.cdc.slot.retained.wal.bytes", "WAL the slot keeps on the Postgres server's disk", s -> s.retainedBytes());
        gauge(meters, "pgturso.cdc.slot.pending.wal.bytes", "WAL written since the slot's confirmed position", s -> s.pendingBytes());
        gauge(meters, "pgturso.cdc.slot.confirmed.lsn", "The slot's confirmed position, as a number", s -> s.confirmedFlushLsn());
        gauge(meters, "pgturso.cdc.slot.invalidated", "1 when Postgres removed WAL the slot needed (it can never stream again)",
                s -> s.invalidated() ? 1 : 0);
        gauge(meters, "pgturso.cdc.slot.safe.wal.bytes", "WAL that may still be written before the slot is lost (NaN: unlimited)",
                s -> s.safeWalSizeBytes() == null ? Double.NaN : s.safeWalSizeBytes());
        Gauge.builder("pgturso.cdc.reader", this, m -> m.reading.get() ? 1 : 0).tag("slot", name)
                .description("1 when this process reads the slot (0: a standby, or not started)").register(meters);
        Gauge.builder("pgturso.cdc.apply.lag.seconds", this, m -> m.lag().toMillis() / 1000.0).tag("slot", name)
                .description("Seconds from a change's commit in Postgres until the target holds it (0 when caught up)")
                .register(meters);
        transactions = Counter.builder("pgturso.cdc.transactions.applied").tag("slot", name)
                .description("Postgres transactions applied to the target").register(meters);
        changes = Counter.builder("pgturso.cdc.changes.applied").tag("slot", name)
                .description("Row changes of the stream applied to the target (inserts, updates, deletes, truncates)")
                .register(meters);
    }

    private void gauge(MeterRegistry meters, String name, String description, java.util.function.ToDoubleFunction<SlotInfo> f) {
        Gauge.builder(name, this, m -> m.slot == null ? Double.NaN : f.applyAsDouble(m.slot)).tag("slot", options.slot())
                .description(description).register(meters);
    }

    /** The slot as last read, or null. */
    SlotInfo slot() {
        return slot;
    }

    /** A batch is in the target. */
    void applied(ChangeBatch batch) {
        transactions.increment(batch.transactions());
        changes.increment(batch.writes().size());
    }

    /**
     * How far behind the target is: none when the reader last found nothing more to apply after its last write, else
     * the time since the last applied transaction committed.
     */
    Duration lag() {
        StreamProgress p = progress.get();
        if (p == null || !reading.get()) {
            return Duration.ZERO;
        }
        Instant caughtUp = p.caughtUpAt();
        Instant applied = p.lastAppliedAt();
        if (caughtUp != null && (applied == null || !caughtUp.isBefore(applied))) {
            return Duration.ZERO;
        }
        Instant committed = p.lastAppliedCommitTime();
        return committed == null ? Duration.ZERO : Duration.between(committed, Instant.now()).abs();
    }

    /** Reads the slot and the tables again; called every few seconds. */
    void refresh() {
        try {
            slot = setup.get().slotInfo().orElse(null);
            if (slot != null && slot.invalidated()) {
                health.problem(SLOT_PROBLEM, "replication slot " + options.slot() + " was invalidated (Postgres removed WAL it "
                        + "still needed, see max_slot_wal_keep_size): stop the sync, run its cdc-uninstall command, and "
                        + "start it again to copy the tables anew");
            } else {
                health.clear(SLOT_PROBLEM);
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.debug("Slot {} not read: {}", options.slot(), e.getMessage());
        }
        checkTables();
        StreamProgress p = progress.get();
        if (p != null && reading.get() && lag().isZero() && p.caughtUpAt() != null) {
            for (TableSpec spec : tables.specs()) {
                listener.streamed(spec.routeId(), p.caughtUpAt(), null);
            }
        }
    }

    /** A streamed table dropped (or renamed) in Postgres is reported: its block names a table that is gone. */
    private void checkTables() {
        List<String> gone = new ArrayList<>();
        for (TableSpec spec : tables.specs()) {
            try {
                catalog.describe(spec.source().schema() + "." + spec.source().name());
            } catch (ConfigException e) {
                gone.add(spec.routeId() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                return; // Postgres unreachable: the source's own check says so
            }
        }
        if (gone.isEmpty()) {
            health.clear(TABLES_PROBLEM);
        } else {
            health.problem(TABLES_PROBLEM, String.join("; ", gone));
            LOG.warn("Change stream: {}", String.join("; ", gone));
        }
    }
}
