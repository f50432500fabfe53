package io.pgturso.cdc.apply;

import io.pgturso.cdc.CdcSetupException;
import io.pgturso.cdc.ReplicationSetup;
import io.pgturso.cdc.SlotInfo;
import io.pgturso.cdc.SnapshotHandle;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.config.ConfigException;
import io.pgturso.ops.SyncHealth;
import io.pgturso.route.RouteNames;
import io.pgturso.source.TableSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the cdc tables' stream up and keeps it so. At start-up ({@link #check}): the tables, Postgres' readiness (each
 * problem with its fix) and, without a cluster, the slot's one reader. Then, in the background ({@link #start}): takes
 * the slot's lock (a standby in a cluster waits for it), makes the publication, copies every table from the slot's
 * snapshot at the first start (or a table added later from one of its own), and starts the {@code cdc-stream} route
 * from the position stored in the target. A lock lost (its session gone) stops the route until it is taken again.
 */
public final class CdcStream {
    private static final Logger LOG = LoggerFactory.getLogger(CdcStream.class);
    /** How often a standby tries the lock, and the running reader checks it still holds it. */
    static final long LOCK_INTERVAL_MS = 2_000;
    private static final long SLOT_INTERVAL_MS = 10_000;
    /** The problem name under which readiness reports the stream. */
    static final String PROBLEM = "cdc";

    private final CamelContext camel;
    private final CdcOptions options;
    private final CdcTables tables;
    private final ReplicationSetupFactory setups;
    private final CdcPositions positions;
    private final SnapshotCopy copier;
    private final SlotLock lock;
    private final DataSource wholeTransactions;
    private final SyncHealth health;
    private final TableCopies copies;
    private final CdcMonitor monitor;
    private final ScheduledExecutorService background;
    private volatile boolean running;
    private volatile boolean prepared;
    private volatile boolean announcedStandby;

    /** Makes the {@link ReplicationSetup} of the loaded tables. */
    interface ReplicationSetupFactory {
        ReplicationSetup of(CdcTables tables);
    }

    CdcStream(CamelContext camel, CdcOptions options, CdcTables tables, ReplicationSetupFactory setups, CdcPositions positions,
            SnapshotCopy copier, SlotLock lock, DataSource wholeTransactions, SyncHealth health, TableCopies copies,
            CdcMonitor monitor, ScheduledExecutorService background) {
        this.camel = camel;
        this.options = options;
        this.tables = tables;
        this.setups = setups;
        this.positions = positions;
        this.copier = copier;
        this.lock = lock;
        this.wholeTransactions = wholeTransactions;
        this.health = health;
        this.copies = copies;
        this.monitor = monitor;
        this.background = background;
    }

    /** Whether any table streams. */
    public boolean active() {
        return tables.any();
    }

    /**
     * Start-up: Postgres can stream these tables (else a {@link ConfigException} listing each problem with its fix),
     * the target's tables of positions exist, and, when {@code takeLock} without a cluster, no other process reads the
     * slot (else refused, naming it).
     */
    public void check(boolean takeLock) {
        if (!active()) {
            return;
        }
        List<TableSpec> specs = tables.load();
        try {
            List<String> warnings = setups.of(tables).requireReady();
            warnings.forEach(w -> LOG.warn("Change stream: {}", w));
            positions.createTables();
            if (takeLock && !options.standby() && !lock.tryAcquire()) {
                throw new ConfigException("Replication slot " + options.slot() + " is read by another pg-turso-sync process ("
                        + lock.holder() + "): a slot has one reader. Stop that process, or set sync.cluster.enabled = true "
                        + "on both so that this one waits as a standby (or give this one another sync.cdc.slot)");
            }
        } catch (CdcSetupException e) {
            throw new ConfigException(e.getMessage() + "\n(the tables in cdc mode: "
                    + specs.stream().map(TableSpec::routeId).toList() + "; README: \"Event-driven mode\")", e);
        } catch (SQLException e) {
            throw new ConfigException("Cannot check Postgres for change streaming: " + e.getMessage()
                    + " (check sync.source.url and the role's grants)", e);
        }
    }

    /** Starts taking the slot's lock, copying and streaming, in the background. */
    public void start() {
        if (!active() || running) {
            return;
        }
        running = true;
        background.execute(this::takeOver);
        background.scheduleWithFixedDelay(this::watch, LOCK_INTERVAL_MS, LOCK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(monitor::refresh, 0, SLOT_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops streaming and releases the slot. */
    public void stop() {
        running = false;
        stopRoute();
        background.shutdownNow();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.release();
    }

    /** Whether this process reads the slot now (its stream started). */
    public boolean reading() {
        return prepared && routeStatus() == ServiceStatus.Started;
    }

    /** The tables' copies (for status and the monitor). */
    TableCopies copies() {
        return copies;
    }

    private void takeOver() {
        while (running && !prepared) {
            try {
                if (!lock.tryAcquire()) {
                    if (!announcedStandby) {
                        LOG.info("Change stream: slot {} is read by {}; this process waits as a standby and takes over "
                                + "when it stops", options.slot(), lock.holder());
                        announcedStandby = true;
                    }
                    health.clear(PROBLEM);
                    Thread.sleep(LOCK_INTERVAL_MS);
                    continue;
                }
                prepare();
                prepared = true;
                health.clear(PROBLEM);
                startRoute();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                String why = e.getMessage();
                health.problem(PROBLEM, "the change stream cannot start: " + why);
                LOG.error("Change stream: cannot start ({}); trying again in {} s", why, SLOT_INTERVAL_MS / 1000);
                try {
                    Thread.sleep(SLOT_INTERVAL_MS);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** With the lock held: the publication, the slot and the copies; the stream then starts from the stored position. */
    private void prepare() throws SQLException {
        List<TableSpec> specs = tables.load();
        ReplicationSetup setup = setups.of(tables);
        setup.ensurePublication().forEach(sql -> LOG.info("Change stream: {}", sql));
        long stored = positions.load(options.slot());
        Optional<SlotInfo> slot = setup.slotInfo();
        if (stored != Lsn.NONE && slot.isPresent()) {
            List<String> copying = copies.load(specs);
            LOG.info("Change stream: slot {} resumes after {}{}", options.slot(), Lsn.format(stored),
                    copying.isEmpty() ? "" : "; copying " + copying + " meanwhile");
            return;
        }
        if (stored != Lsn.NONE) {
            LOG.warn("Change stream: slot {} is gone (dropped?) though the target holds a position: every table is copied "
                    + "again from a new slot", options.slot());
            positions.forget(options.slot());
        }
        if (slot.isPresent()) {
            // a slot with no position stored: a first copy that did not finish; its snapshot is gone, so start over
            LOG.info("Change stream: slot {} exists but no copy finished: dropping it to copy from a new one", options.slot());
            setup.dropSlot();
        }
        try (SnapshotHandle snapshot = setup.createSlot()) {
            LOG.info("Change stream: created slot {}; copying {} from its snapshot", options.slot(),
                    specs.stream().map(TableSpec::routeId).toList());
            copier.copy(snapshot, specs);
            firstPosition(specs, snapshot.consistentLsn());
            copies.allCopied(specs, snapshot.consistentLsn());
            LOG.info("Change stream: every table copied; streaming from {}", Lsn.format(snapshot.consistentLsn()));
        }
    }

    /** The slot's first position and every table's copy, stored in one target transaction. */
    private void firstPosition(List<TableSpec> specs, long lsn) throws SQLException {
        try (Connection c = wholeTransactions.getConnection()) {
            c.setAutoCommit(false);
            try {
                positions.store(c, options.slot(), lsn, null);
                for (TableSpec spec : specs) {
                    positions.copied(c, options.slot(), spec.targetTable(), lsn, io.pgturso.target.CheckpointStore.identity(spec));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Every few seconds: the lock is still held (else the route stops and the lock is taken again), the route runs. */
    private void watch() {
        if (!running || !prepared) {
            return;
        }
        if (!lock.held()) {
            LOG.warn("Change stream: the lock on slot {} is lost; streaming stops until it is taken again", options.slot());
            prepared = false;
            stopRoute();
            lock.release();
            background.execute(this::takeOver);
            return;
        }
        if (routeStatus() == ServiceStatus.Stopped) {
            // the route files were reloaded: the new route waits to be started, as at the first start
            startRoute();
        }
    }

    private ServiceStatus routeStatus() {
        return camel.getRoute(RouteNames.CDC_ROUTE) == null ? null
                : camel.getRouteController().getRouteStatus(RouteNames.CDC_ROUTE);
    }

    private void startRoute() {
        try {
            if (camel.getRoute(RouteNames.CDC_ROUTE) == null) {
                throw new IllegalStateException("no route '" + RouteNames.CDC_ROUTE + "' in routes/ (cdc.camel.yaml)");
            }
            camel.getRouteController().startRoute(RouteNames.CDC_ROUTE);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start route " + RouteNames.CDC_ROUTE + ": " + e.getMessage(), e);
        }
    }

    private void stopRoute() {
        try {
            if (camel.getRoute(RouteNames.CDC_ROUTE) != null && camel.getRouteController().getRouteStatus(RouteNames.CDC_ROUTE)
                    == ServiceStatus.Started) {
                camel.getRouteController().stopRoute(RouteNames.CDC_ROUTE, 30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("Change stream: stopping route {} failed: {}", RouteNames.CDC_ROUTE, e.getMessage());
        }
    }
}
