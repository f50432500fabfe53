package io.pgturso.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Postgres for tests: the server named by {@code PGTEST_URL} (a jdbc:postgresql URL with user and password
 * parameters, to test other versions), else an embedded one started once per test JVM. Each test gets its own database.
 */
public final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final String baseUrl;
    private final String user;
    private final String password;

    TestPostgres(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The shared server, started on first use. */
    public static synchronized TestPostgres get() {
        if (shared == null) {
            String external = System.getenv("PGTEST_URL");
            if (external != null && !external.isBlank()) {
                shared = new TestPostgres(external, System.getenv().getOrDefault("PGTEST_USER", "postgres"),
                        System.getenv().getOrDefault("PGTEST_PASSWORD", "postgres"));
            } else {
                try {
                    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            pg.close();
                        } catch (IOException ignored) {
                            // the JVM is going away
                        }
                    }));
                    shared = new TestPostgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
                } catch (IOException e) {
                    throw new IllegalStateException("Cannot start embedded Postgres: " + e.getMessage(), e);
                }
            }
        }
        return shared;
    }

    /** A server of its own that a test may stop and start again on the same port and data (outage tests). */
    public static RestartablePostgres dedicated(java.nio.file.Path dataDir) {
        return new RestartablePostgres(dataDir);
    }

    /** Creates a fresh, empty database and returns its JDBC URL. */
    public String newDatabase() {
        return newDatabase("");
    }

    /** Creates a fresh database with {@code options} (e.g. {@code ENCODING 'SQL_ASCII' ... TEMPLATE template0}); returns its JDBC URL. */
    public String newDatabase(String options) {
        String name = "sync_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(baseUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + (options.isBlank() ? "" : " " + options));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database: " + e.getMessage(), e);
        }
        return withDatabase(name);
    }

    private String withDatabase(String name) {
        int slash = baseUrl.indexOf('/', "jdbc:postgresql://".length());
        // no query parameters: user and password are given separately, as the sync's settings do
        return baseUrl.substring(0, slash + 1) + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }
}
