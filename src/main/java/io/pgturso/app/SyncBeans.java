package io.pgturso.app;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgturso.cdc.apply.CdcOptions;
import io.pgturso.config.ClusterSettings;
import io.pgturso.config.ConnectionSettings;
import io.pgturso.config.FanOutSettings;
import io.pgturso.config.SettingValues;
import io.pgturso.config.Settings;
import io.pgturso.config.VerifySettings;
import io.pgturso.libsql.jdbc.RequestListeners;
import io.pgturso.ops.DriverMetrics;
import io.pgturso.pass.TableLocks;
import io.pgturso.source.Horizon;
import io.pgturso.source.SourceCatalog;
import io.pgturso.source.TableBlocks;
import io.pgturso.source.TableRegistry;
import io.pgturso.target.CheckpointStore;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.target.TargetKind;
import io.pgturso.target.TargetSchema;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.tenant.TenantRegistry;
import io.pgturso.tenant.TursoPlatform;
import io.pgturso.verify.TableComparison;
import io.pgturso.verify.VerifyRuns;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The beans every command reads through (settings, pools, tables, stores, tenants), made one way whether Camel starts
 * ({@link SyncConfiguration} adds the routes' own) or not ({@link CommandBeans}): both see the same tables and checks.
 */
final class SyncBeans {
    final SettingValues values;
    final ConnectionSettings settings;
    final HikariDataSource source;
    final TargetKind kind;
    final String driverListener;
    final HikariDataSource target;
    final JdbcTemplate targetJdbc;
    final SourceCatalog catalog;
    final TableRegistry tables;
    final CheckpointStore checkpoints;
    final Horizon horizon;
    final DeadLetterStore deadLetterStore;
    final TargetSchema targetSchema;
    final TableLocks tableLocks;
    final VerifySettings verify;
    final VerifyRuns verifyRuns;
    final FanOutSettings fanOut;
    final TenantRegistry tenantRegistry;
    final TenantKeys tenantKeys;
    final TursoPlatform platform;
    final TenantDatabases tenantDatabases;
    final ClusterSettings cluster;
    final CdcOptions cdcOptions;

    /**
     * Reads the settings ({@code values}: checked already) and makes the beans; pools open their connections lazily.
     * {@code watchRoutes}: the application runs its schedules (a cluster's standby then waits for the stream).
     */
    SyncBeans(SettingValues values, Function<String, Optional<String>> property, Map<String, String> env, Path configDir,
            TableBlocks blocks, MeterRegistry meters, boolean watchRoutes) {
        this.values = values;
        settings = ConnectionSettings.read(property, env, configDir);
        source = DataSources.source(settings.source(), settings.sourcePoolSize());
        kind = TargetKind.of(settings.target());
        driverListener = kind.registerRequestListener(() -> new DriverMetrics(meters));
        target = kind.pool(settings.targetAuthToken(), kind.poolSize(settings.targetPoolSize()), driverListener);
        targetJdbc = new JdbcTemplate(target);
        catalog = new SourceCatalog(source);
        tables = new TableRegistry(blocks, catalog, settings.numericAsText(), values.number(Settings.MAX_VALUE_BYTES),
                () -> kind.needsExactDoubles(target));
        checkpoints = new CheckpointStore(targetJdbc);
        horizon = new Horizon(new JdbcTemplate(source), values.bool(Settings.HORIZON_ENABLED),
                values.number(Settings.HORIZON_SAFETY_LAG), values.number(Settings.HORIZON_FALLBACK_LAG),
                values.text(Settings.HORIZON_TIME_ZONE));
        deadLetterStore = new DeadLetterStore(targetJdbc);
        targetSchema = new TargetSchema(targetJdbc);
        tableLocks = new TableLocks(tables, DataSources.lockSessions(settings.source()), settings.target().jdbcUrl());
        verify = VerifySettings.read(property);
        verifyRuns = new VerifyRuns(targetJdbc);
        // a database per tenant (sync.target.url names {tenant}); without, tenant-sql: and tenantPages refuse any use
        fanOut = FanOutSettings.read(property, env, configDir);
        tenantRegistry = new TenantRegistry(targetJdbc);
        tenantKeys = new TenantKeys(targetJdbc);
        platform = fanOut == null || fanOut.template().isFile() ? null : new TursoPlatform(fanOut.apiUrl(),
                fanOut.org(), fanOut.group(), fanOut.seed(), fanOut.apiToken());
        tenantDatabases = new TenantDatabases(fanOut, settings.targetAuthToken(), tenantRegistry, platform, driverListener);
        cluster = ClusterSettings.read(property, settings.source());
        cdcOptions = new CdcOptions(values.text(Settings.CDC_SLOT), values.text(Settings.CDC_PUBLICATION),
                watchRoutes && cluster.enabled());
    }

    /** Binds the beans the commands and routes look up by name. */
    void bind(Registry registry) {
        registry.bind("settings", settings);
        registry.bind("source", source);
        registry.bind("target", target);
        registry.bind("targetKind", kind);
        registry.bind("tables", tables);
        registry.bind("checkpoints", checkpoints);
        registry.bind("deadLetterStore", deadLetterStore);
        registry.bind("targetSchema", targetSchema);
        registry.bind("tableLocks", tableLocks);
        registry.bind("tableComparison", new TableComparison(verify.verifyChunkSize(), verify.verifyExamples()));
        registry.bind("verifyRuns", verifyRuns);
        registry.bind("tenantDatabases", tenantDatabases);
        registry.bind("tenantKeys", tenantKeys);
        registry.bind("horizon", horizon);
    }

    /** The check that stops a start on bad settings, before anything runs. */
    StartupCheck startupCheck() {
        return new StartupCheck(settings, kind, horizon, tables, checkpoints, deadLetterStore,
                new FanOutStartup(fanOut, platform, tenantRegistry, tenantKeys));
    }

    /** Closes what the beans hold open: the tenants' databases, the pools, the driver's listener. */
    void close() {
        tenantDatabases.close();
        source.close();
        target.close();
        if (driverListener != null) {
            RequestListeners.unregister(driverListener);
        }
    }
}
