package io.pgturso.testing;

import java.nio.file.Path;
import org.springframework.jdbc.core.JdbcTemplate;

/** A target database for end-to-end tests: its URL as the sync is configured with it, and a way to read it back. */
public interface TestTarget extends AutoCloseable {
    /** The value of sync.target.url. */
    String url();

    /** Reads and writes the target directly (assertions, pre-created tables). */
    JdbcTemplate jdbc();

    @Override
    void close();

    /** A local libSQL/SQLite file: the embedded default target. */
    static TestTarget file(Path dir) {
        Path file = dir.resolve("target.db");
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        ds.getConfig().setBusyTimeout(30_000);
        return new TestTarget() {
            @Override
            public String url() {
                return "file:" + file;
            }

            @Override
            public JdbcTemplate jdbc() {
                return new JdbcTemplate(ds);
            }

            @Override
            public void close() {
            }
        };
    }

    /** A real libSQL server over HTTP: Turso's own tursodb, started for this target and stopped with it. */
    static TestTarget turso(Path dir) {
        TursoServer server = TursoServer.start(dir.resolve("turso.db"));
        return remote(server.url(), server.jdbcUrl(), server, server::close);
    }

    /**
     * The project's spec-faithful libSQL test server (streams, limits and error codes as libsql-server has them),
     * with a 2 MB request body limit so that pages are split as behind a strict proxy.
     */
    static TestTarget libsqlServer(Path dir) {
        return libsqlServer(dir, server -> server);
    }

    /** The test server, set up further by {@code setup} (limits, latency, faults). */
    static TestTarget libsqlServer(Path dir, java.util.function.UnaryOperator<LibsqlTestServer> setup) {
        LibsqlTestServer server = setup.apply(LibsqlTestServer.start(dir.resolve("libsql.db"))
                .maxRequestBytes(2L * 1024 * 1024));
        return remote(server.url(), server.jdbcUrl(), null, server::close);
    }

    /** A server reached over HTTP through the project's driver; {@code stop} ends it with the target. */
    private static TestTarget remote(String url, String jdbcUrl, TursoServer tursodb, Runnable stop) {
        io.pgturso.libsql.jdbc.LibsqlDataSource ds = new io.pgturso.libsql.jdbc.LibsqlDataSource(jdbcUrl, null);
        return new TestTarget() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public JdbcTemplate jdbc() {
                return new JdbcTemplate(ds);
            }

            @Override
            public TursoServer server() {
                return tursodb;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }

    /** The server behind this target, for outage tests; null for a file. */
    default TursoServer server() {
        return null;
    }
}
