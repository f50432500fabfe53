package io.pgturso.cdc.apply;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgturso.cdc.CdcConnections;
import io.pgturso.cdc.ReplicationSetup;
import io.pgturso.cdc.StreamProgress;
import io.pgturso.cdc.camel.PgCdcComponent;
import io.pgturso.cdc.camel.PgCdcEndpoint;
import io.pgturso.config.PostgresUrl;
import io.pgturso.deadletter.DeadLetters;
import io.pgturso.ops.SyncHealth;
import io.pgturso.pass.PassListener;
import io.pgturso.pass.TransformStep;
import io.pgturso.route.RouteNames;
import io.pgturso.source.PinnedReads;
import io.pgturso.source.SourceCatalog;
import io.pgturso.source.SourceSession;
import io.pgturso.source.TableRegistry;
import io.pgturso.target.CheckpointStore;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.target.TargetKind;
import io.pgturso.target.TargetSchema;
import io.pgturso.tenant.FanOutTables;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.jdbc.core.JdbcTemplate;

/** Builds the change stream's parts from the sync's own and binds those the routes name ({@code cdcApply}, {@code cdcStream}). */
public final class CdcWiring {
    /** The sessions' settings: the pages' own (so values read alike in both ways), and bytea in its hex form. */
    static final String SESSION = SourceSession.SETTINGS + "; SET bytea_output = 'hex'";

    /** What the change stream takes from the rest of the sync. */
    public record Parts(CamelContext camel, CdcOptions options, TableRegistry registry, SourceCatalog catalog,
            DataSource source, PinnedReads reads, PostgresUrl sourceUrl, DataSource lockSessions, DataSource wholeTransactions,
            TargetKind kind, JdbcTemplate target, TargetSchema schema, CheckpointStore checkpoints,
            DeadLetterStore deadLetterStore, DeadLetters deadLetters, TransformStep transformStep, SyncHealth health,
            PassListener listener, MeterRegistry meters) {
    }

    private CdcWiring() {
    }

    /** The Postgres sessions of the stream, of its snapshots and of the commands that manage the slot. */
    public static CdcConnections connections(PostgresUrl url) {
        return new CdcConnections(url.jdbcUrl(), url.user(), url.password(), SESSION);
    }

    /** Binds {@code cdcApply}, {@code cdcStream} and {@code cdcAdmin}, and gives the {@code pgcdc:} component its sessions. */
    public static CdcStream bind(Parts p) {
        CdcOptions options = p.options();
        CdcConnections connections = connections(p.sourceUrl());
        p.camel().getComponent("pgcdc", PgCdcComponent.class).setConnections(connections);
        CdcTables tables = new CdcTables(p.registry());
        CdcPositions positions = new CdcPositions(p.target());
        CdcStream.ReplicationSetupFactory setups = t -> new ReplicationSetup(connections,
                t.replication(options.slot(), options.publication()));
        ScheduledExecutorService background = Executors.newScheduledThreadPool(4, daemons("pgturso-cdc-"));
        SnapshotCopy copier = new SnapshotCopy(p.camel(), p.reads(), connections, p.checkpoints());
        TableCopies copies = new TableCopies(options.slot(), tables, positions, p.schema(),
                suffix -> setups.of(tables).exportSnapshot(suffix), copier, background, p.listener());
        OpenDeadLetters open = new OpenDeadLetters(p.deadLetterStore());
        ChangeSql changeSql = new ChangeSql();
        ChangeMapper mapper = new ChangeMapper(copies, p.transformStep(), p.source(), changeSql, open);
        CdcStream[] stream = new CdcStream[1];
        CdcMonitor monitor = new CdcMonitor(options, () -> setups.of(tables), tables, p.catalog(), p.health(), p.listener(),
                p.meters(), () -> progress(p.camel()), () -> stream[0] != null && stream[0].reading());
        ChangeWriter writer = new ChangeWriter(p.wholeTransactions(), p.kind(), positions);
        CdcApply apply = new CdcApply(options.slot(), mapper, writer, positions, p.deadLetters(), open, p.listener(), tables,
                monitor);
        writer.refusals(apply::refused);
        // a database per tenant (sync.target.url names {tenant}): the writes of tables with fan-out go to the tenants'
        TenantDatabases tenants = p.camel().getRegistry().lookupByNameAndType("tenantDatabases", TenantDatabases.class);
        TenantKeys tenantKeys = p.camel().getRegistry().lookupByNameAndType("tenantKeys", TenantKeys.class);
        if (tenants != null && tenants.configured() && tenantKeys != null) {
            apply.routing(new TenantRouting(tenants, tenantKeys, changeSql));
            TenantWriter tenantWriter = new TenantWriter(tenants, tenantKeys, new FanOutTables(p.registry()), positions,
                    apply::refused, partsAtOnce(p.camel(), tenants));
            writer.tenants(tenantWriter);
            positions.alsoForgetIn(slot -> TenantWriter.forgetPositions(tenants, slot));
            copies.tenantRebuilds(tenantWriter::needsRebuild);
            copier.tenantSweep(new TenantCopySweep(tenants, tenantKeys));
        }
        stream[0] = new CdcStream(p.camel(), options, tables, setups, positions, copier, new SlotLock(p.lockSessions(),
                options.slot()), p.wholeTransactions(), p.health(), copies, monitor, background);
        p.camel().getRegistry().bind("cdcApply", apply);
        p.camel().getRegistry().bind("cdcStream", stream[0]);
        p.camel().getRegistry().bind("cdcPositions", positions);
        p.camel().getRegistry().bind("cdcAdmin", new CdcAdmin(options, connections, positions,
                new SlotLock(p.lockSessions(), options.slot()), tables));
        return stream[0];
    }

    /** The slot's and publication's management alone, for commands that start no stream (status, plan, cdc-uninstall). */
    public static CdcAdmin admin(CdcOptions options, TableRegistry registry, PostgresUrl sourceUrl, DataSource lockSessions,
            JdbcTemplate target, TenantDatabases tenants) {
        CdcPositions positions = new CdcPositions(target);
        if (tenants != null && tenants.configured()) {
            // as the stream's own: cdc-uninstall forgets the position in every tenant database too
            positions.alsoForgetIn(slot -> TenantWriter.forgetPositions(tenants, slot));
        }
        return new CdcAdmin(options, connections(sourceUrl), positions, new SlotLock(lockSessions, options.slot()),
                new CdcTables(registry));
    }

    /**
     * The tenant parts of an exchange written at once: on the threads that write a pass's parts ({@code tenantWriters},
     * sync.fan-out.writers of them), never more at once than tenant databases are kept open (a part holds one).
     */
    private static PartsAtOnce partsAtOnce(CamelContext camel, TenantDatabases tenants) {
        ExecutorService writers = camel.getRegistry().lookupByNameAndType("tenantWriters", ExecutorService.class);
        if (!(writers instanceof ThreadPoolExecutor pool)) {
            return PartsAtOnce.oneByOne();
        }
        return new PartsAtOnce(pool, Math.min(pool.getMaximumPoolSize(), tenants.maxOpen()));
    }

    /** The running stream's progress, or null before it started. */
    private static StreamProgress progress(CamelContext camel) {
        Route route = camel.getRoute(RouteNames.CDC_ROUTE);
        return route != null && route.getEndpoint() instanceof PgCdcEndpoint endpoint ? endpoint.getProgress() : null;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
