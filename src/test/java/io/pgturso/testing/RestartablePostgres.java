package io.pgturso.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** An embedded Postgres that can be stopped and started again with the same data directory and port. */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    RestartablePostgres(Path dataDir) {
        this.dataDir = dataDir;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        start();
    }

    /** Starts (again) on the same port and data. */
    public void start() {
        try {
            server = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start embedded Postgres: " + e.getMessage(), e);
        }
    }

    /** Stops the server; clients see refused connections until {@link #start()}. */
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server as {@link TestPostgres}, for a {@link SyncHarness}. */
    public TestPostgres asTestPostgres() {
        return new TestPostgres("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
    }

    @Override
    public void close() {
        stop();
    }
}
