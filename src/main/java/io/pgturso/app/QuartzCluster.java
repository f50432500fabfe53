package io.pgturso.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.config.ClusterSettings;
import io.pgturso.config.ConfigException;
import io.pgturso.config.PostgresUrl;
import io.pgturso.source.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code quartz:} schedules on Quartz's clustered JDBC job store in Postgres: every process sharing the
 * store fires each table's job on one process at a time ({@code stateful} jobs are not run concurrently across the
 * cluster), and a process that stops checking in has its jobs taken over by the others.
 */
final class QuartzCluster extends LifecycleStrategySupport {
    private static final Logger LOG = LoggerFactory.getLogger(QuartzCluster.class);
    /** Quartz threads: passes that may run at once in one process. */
    private static final int THREADS = 10;
    /** How often each process looks for due schedules and for late ones (Quartz allows no less than 1 s for the first). */
    private static final long SCAN_MS = 1000;

    private final ClusterSettings settings;
    private final HikariDataSource pool;

    private QuartzCluster(ClusterSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** Points the quartz component at the clustered store; the tables are created once the start-up check passed. */
    static HikariDataSource configure(CamelContext camel, ClusterSettings settings) {
        HikariDataSource pool = pool(settings.database());
        String dataSourceName = "pgturso-cluster-" + System.identityHashCode(pool);
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool is closed with the other pools when Camel stops
            }

            @Override
            public void initialize() {
                // the pool opens connections when first asked
            }
        });
        Map<String, Object> quartz = new HashMap<>();
        quartz.put("org.quartz.scheduler.instanceName", "pg-turso-sync");
        quartz.put("org.quartz.scheduler.instanceId", "AUTO");
        quartz.put("org.quartz.threadPool.threadCount", String.valueOf(THREADS));
        quartz.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        quartz.put("org.quartz.jobStore.dataSource", dataSourceName);
        // quoted: Quartz puts the prefix into its SQL as it is, and a schema may be named like a keyword (user)
        quartz.put("org.quartz.jobStore.tablePrefix", Sql.quote(settings.schema()) + ".qrtz_");
        quartz.put("org.quartz.jobStore.isClustered", "true");
        quartz.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.checkinIntervalMillis()));
        quartz.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        // every process looks for due schedules each second and may only take one due within the second: with Quartz's
        // 30 s, a process that just ran a table takes its next firing at once while the others sleep, and keeps every table
        quartz.put("org.quartz.scheduler.idleWaitTime", String.valueOf(SCAN_MS));
        // a table whose pass outlasted its schedule runs again within a second (fire once now), not after Quartz's
        // misfire scan, which runs every threshold (60 s by default) and is the only way out for a trigger that late
        quartz.put("org.quartz.jobStore.misfireThreshold", String.valueOf(SCAN_MS));
        camel.getComponent("quartz", QuartzComponent.class).setProperties(quartz);
        camel.addLifecycleStrategy(new QuartzCluster(settings, pool));
        return pool;
    }

    @Override
    public void onContextInitialized(CamelContext context) {
        try {
            boolean created = QuartzSchema.create(pool, settings.schema());
            LOG.info("Cluster: schedules shared through Quartz's tables in schema {} at {}{}; a process that stops checking in "
                    + "(every {} ms) has its tables taken over by the others", settings.schema(), settings.database(),
                    created ? " (created now)" : "", settings.checkinIntervalMillis());
        } catch (SQLException e) {
            throw new ConfigException("Cannot create Quartz's cluster tables in schema " + settings.schema() + " at "
                    + settings.database() + ": " + e.getMessage()
                    + " (check sync.cluster.url, sync.cluster.user and sync.cluster.password: the role needs CREATE on the database,"
                    + " or create the tables beforehand, see README)", e);
        }
    }

    private static HikariDataSource pool(PostgresUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("cluster");
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        // Quartz holds one connection per firing thread plus its own check-in and misfire work
        config.setMaximumPoolSize(THREADS + 3);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        config.setAutoCommit(false);
        config.addDataSourceProperty("ApplicationName", "pg-turso-sync");
        config.addDataSourceProperty("connectTimeout", "10");
        return new HikariDataSource(config);
    }
}
