package io.pgturso.app;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgturso.cdc.apply.CdcStream;
import io.pgturso.cdc.apply.CdcWiring;
import io.pgturso.config.ClusterSettings;
import io.pgturso.config.ConfigException;
import io.pgturso.config.ConnectionSettings;
import io.pgturso.config.PropertiesCheck;
import io.pgturso.config.SettingValues;
import io.pgturso.config.Settings;
import io.pgturso.deadletter.DeadLetterEndpoint;
import io.pgturso.deadletter.DeadLetterReplay;
import io.pgturso.deadletter.DeadLetters;
import io.pgturso.failure.SyncFailures;
import io.pgturso.libsql.jdbc.RequestListeners;
import io.pgturso.ops.ProblemsHealthCheck;
import io.pgturso.ops.Reachability;
import io.pgturso.ops.ReachabilityHealthCheck;
import io.pgturso.ops.StatementEvents;
import io.pgturso.ops.SyncHealth;
import io.pgturso.ops.SyncMetrics;
import io.pgturso.ops.TableHealthChecks;
import io.pgturso.ops.VerifyMetrics;
import io.pgturso.pass.PageChunks;
import io.pgturso.pass.PassListener;
import io.pgturso.pass.PassProgress;
import io.pgturso.pass.StepSqlComponent;
import io.pgturso.pass.TableLocks;
import io.pgturso.pass.FullPassDiff;
import io.pgturso.pass.TableSync;
import io.pgturso.pass.TenantPages;
import io.pgturso.pass.TransformStep;
import io.pgturso.reconcile.DeleteReconciliation;
import io.pgturso.route.RouteNames;
import io.pgturso.source.Horizon;
import io.pgturso.source.PendingRows;
import io.pgturso.source.PinnedReads;
import io.pgturso.source.SourceRowMapper;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.target.CheckpointStore;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.target.TargetKind;
import io.pgturso.target.TargetSchema;
import io.pgturso.tenant.FanOutTables;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.verify.VerifyRuns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.JdbcTemplate;

/** Registers the beans the routes call: the two DataSources ({@code #source}, {@code #target}) and one bean per job. */
public class SyncConfiguration implements CamelConfiguration {
    /** The name under which camel-micrometer looks up the meter registry it serves. */
    private static final String METRICS_REGISTRY = "metricsRegistry";
    private final Path configDir;
    private final Map<String, String> env;
    private final boolean watchRoutes;
    private final boolean planOnly;

    public SyncConfiguration(Path configDir, Map<String, String> env, boolean watchRoutes) {
        this(configDir, env, watchRoutes, false);
    }

    /** With {@code planOnly}, nothing is checked or created at start (the plan command reports instead). */
    public SyncConfiguration(Path configDir, Map<String, String> env, boolean watchRoutes, boolean planOnly) {
        this.configDir = configDir;
        this.env = env;
        this.watchRoutes = watchRoutes;
        this.planOnly = planOnly;
    }

    @Override
    public void configure(CamelContext camel) throws Exception {
        PropertiesComponent properties = camel.getPropertiesComponent();
        if (!watchRoutes) {
            // passes run when a command asks: no scheduler to make
            camel.addComponent(OnDemandTriggers.SCHEME, new OnDemandTriggers());
        }
        SettingValues values = PropertiesCheck.apply(properties);
        Registry registry = camel.getRegistry();
        MeterRegistry meters = meterRegistry(registry, watchRoutes);
        SyncBeans beans = new SyncBeans(values, properties::resolveProperty, env, configDir, new CamelTableBlocks(camel), meters,
                watchRoutes);
        beans.bind(registry);
        ConnectionSettings settings = beans.settings;
        HikariDataSource source = beans.source;
        HikariDataSource target = beans.target;
        TargetKind kind = beans.kind;
        String driverListener = beans.driverListener;
        JdbcTemplate targetJdbc = beans.targetJdbc;
        TableRegistry tables = beans.tables;
        CheckpointStore checkpoints = beans.checkpoints;
        Horizon horizon = beans.horizon;
        DeadLetterStore deadLetterStore = beans.deadLetterStore;
        TargetSchema targetSchema = beans.targetSchema;
        TableLocks tableLocks = beans.tableLocks;
        VerifyRuns verifyRuns = beans.verifyRuns;
        TenantDatabases tenantDatabases = beans.tenantDatabases;
        TenantKeys tenantKeys = beans.tenantKeys;

        SyncHealth health = new SyncHealth();
        SyncMetrics metrics = new SyncMetrics(meters, health);
        registry.bind("syncHealth", health);
        registry.bind("syncMetrics", metrics);
        registry.bind("syncFailures", new SyncFailures());
        registry.bind("pageChunks", new PageChunks());
        PinnedReads pageReads = new PinnedReads(source);
        camel.addComponent(RouteNames.SOURCE_SQL, StepSqlComponent.source(pageReads, new SourceRowMapper()));
        camel.addComponent(RouteNames.TARGET_SQL, StepSqlComponent.target(target));
        TransformStep transformStep = new TransformStep();
        transformStep.setCamelContext(camel);
        registry.bind("transformStep", transformStep);
        TableSync tableSync = new TableSync(tables, targetSchema, checkpoints, deadLetterStore, horizon,
                new PendingRows(source), new PassProgress(Duration.ofMillis(values.number(Settings.PROGRESS_INTERVAL))),
                PassListener.both(health, metrics), kind, kind.pagesInFlight(values.integer(Settings.MAX_IN_FLIGHT)));
        tableSync.recordFullPasses(new io.pgturso.target.FullPasses(targetJdbc));
        registry.bind("tableSync", tableSync);
        DeadLetters deadLetters = new DeadLetters(deadLetterStore,
                new DeadLetterEndpoint(camel, values.text(Settings.DEAD_LETTER_URI)));
        registry.bind("deadLetters", deadLetters);
        DeadLetterReplay deadLetterReplay = new DeadLetterReplay(tables, deadLetterStore, deadLetters, transformStep, tableLocks);
        registry.bind("deadLetterReplay", deadLetterReplay);
        DeleteReconciliation deleteReconciliation = new DeleteReconciliation(tables, source, target, beans.verify, tableLocks);
        deleteReconciliation.tenants(tenantDatabases, tenantKeys);
        registry.bind("deleteReconciliation", deleteReconciliation);
        FullPassDiff fullPassDiff = new FullPassDiff(target);
        registry.bind("fullPassDiff", fullPassDiff);
        fullPassDiff.tenantDatabases(t -> tenantDatabases.dataSource(tenantDatabases.databaseFor(t)));
        deadLetterReplay.tenants(new io.pgturso.deadletter.TenantReplay(tenantDatabases, tenantKeys, new FanOutTables(tables)));
        camel.addComponent(RouteNames.TENANT_SQL, StepSqlComponent.tenants(tenantDatabases::dataSource));
        registry.bind("tenantPages", new TenantPages(tenantDatabases, tenantKeys, new FanOutTables(tables), metrics));
        // the parts of a page go to different databases: written side by side, always on these few threads (SQLite's memory
        // then stays in as few malloc arenas; written on whichever thread of a pool, RSS grew with each database reopened)
        registry.bind("tenantWriters", camel.getExecutorServiceManager().newFixedThreadPool(tenantDatabases, "tenant-writer",
                values.integer(Settings.FAN_OUT_WRITERS)));
        if (beans.fanOut != null) {
            metrics.tenantGauges(beans.tenantRegistry::size, tenantDatabases::openCount);
        }
        camel.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                tenantDatabases.close();
            }
        });
        registry.bind("sourceHealth", new ReachabilityHealthCheck("source", () -> Reachability.problem(settings, settings.source().jdbcUrl(), settings.sourceLogin(2))));
        registry.bind("targetHealth", new ReachabilityHealthCheck("target",
                () -> Reachability.problem(settings, settings.target().jdbcUrl(), kind.login(settings.targetAuthToken(), 2))));
        registry.bind("problemsHealth", new ProblemsHealthCheck(health));
        TableHealthChecks tableHealth = new TableHealthChecks(health,
                () -> tables.configs().stream().map(TableConfig::routeId).toList(),
                Duration.ofMillis(values.number(Settings.HEALTH_MAX_LAG)));
        VerifyMetrics verifyMetrics = new VerifyMetrics(verifyRuns);
        AtomicBoolean verifyGauges = new AtomicBoolean();
        camel.addStartupListener((context, alreadyStarted) -> {
            HealthCheckRegistry checks = HealthCheckRegistry.get(context);
            if (checks != null) {
                checks.register(tableHealth);
            }
            // called again after each route reload; the tables (and so the gauges) only change with a restart
            List<String> routeIds;
            try {
                routeIds = tables.configs().stream().map(TableConfig::routeId).toList();
            } catch (ConfigException e) {
                // a bad table block: the command (or the start-up check) reports it in one line, without a stack trace
                return;
            }
            if (verifyGauges.compareAndSet(false, true)) {
                verifyMetrics.register(meters, routeIds);
            }
        });
        camel.getManagementStrategy().addEventNotifier(new StatementEvents(metrics, target));

        HikariDataSource wholeTransactions = kind.wholeTransactions(target, settings.targetAuthToken(), driverListener);
        ClusterSettings cluster = beans.cluster;
        CdcStream cdc = CdcWiring.bind(new CdcWiring.Parts(camel, beans.cdcOptions, tables, beans.catalog, source, pageReads,
                settings.source(), DataSources.lockSessions(settings.source()), wholeTransactions, kind, targetJdbc, targetSchema,
                checkpoints, deadLetterStore, deadLetters, transformStep, health, PassListener.both(health, metrics), meters));
        if (!planOnly) {
            camel.addLifecycleStrategy(beans.startupCheck());
            if (watchRoutes) {
                CdcStart.add(camel, cdc);
            }
        }
        camel.addService(new ClosePools(source, target, wholeTransactions));
        if (driverListener != null) {
            camel.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    RequestListeners.unregister(driverListener);
                }
            });
        }
        if (watchRoutes && cluster.enabled()) {
            // only `run` fires schedules; once, status, verify and plan keep Quartz in memory and out of the cluster
            camel.addService(new ClosePools(QuartzCluster.configure(camel, cluster)));
        }
        ReloadState reloadState = new ReloadState();
        registry.bind("reloadState", reloadState);
        if (watchRoutes) {
            camel.addService(new RouteReloader(configDir.resolve("routes"), reloadState));
        }
    }

    /**
     * The registry Camel serves at /observe/metrics: ours, unless Camel bound one already. Only {@code run} serves it;
     * a one-shot command keeps its meters in a plain registry (Prometheus' classes are then not loaded).
     */
    private static MeterRegistry meterRegistry(Registry registry, boolean served) {
        MeterRegistry existing = registry.lookupByNameAndType(METRICS_REGISTRY, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        MeterRegistry created = served ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : new SimpleMeterRegistry();
        registry.bind(METRICS_REGISTRY, created);
        return created;
    }
}
