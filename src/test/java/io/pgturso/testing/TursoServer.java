package io.pgturso.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real libSQL server for tests: {@code tursodb FILE --sync-server 127.0.0.1:PORT} on a free port, its output in a
 * log file under {@code target/}. The binary comes from the system property {@code tursodb.binary} (set by the
 * build), else from where the build's npm install puts it.
 */
public final class TursoServer implements AutoCloseable {

    private static final String BINARY_PROPERTY = "tursodb.binary";
    private static final String INSTALLED_BINARY =
            "target/tursodb/node_modules/@tursodatabase/cli-linux-x64-gnu/tursodb";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 5;
    private static TursoServer shared;

    private final Path binary;
    private final Path databaseFile;
    private final Path logFile;
    private int port;
    private Process process;

    private TursoServer(Path binary, Path databaseFile, Path logFile) {
        this.binary = binary;
        this.databaseFile = databaseFile;
        this.logFile = logFile;
    }

    /** Starts a server on a new, empty database under {@code target/tursodb-data}. */
    public static TursoServer start() {
        return start(targetDirectory().resolve("tursodb-data").resolve("db-" + UUID.randomUUID() + ".db"));
    }

    /** Starts a server on the given database file (created when missing). */
    public static TursoServer start(Path databaseFile) {
        Path file = databaseFile.toAbsolutePath();
        String name = file.getFileName().toString();
        Path log = targetDirectory().resolve("tursodb-logs").resolve(name + ".log");
        TursoServer server = new TursoServer(binary(), file, log);
        server.startOnFreePort();
        return server;
    }

    /** One server for the whole test run, stopped when the JVM exits; tests sharing it use their own tables. */
    public static synchronized TursoServer shared() {
        if (shared == null || !shared.isRunning()) {
            shared = start();
            TursoServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "tursodb-shared-stop"));
        }
        return shared;
    }

    /** {@code http://127.0.0.1:PORT}: what a libSQL client connects to. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The JDBC URL of this server for the project's libSQL driver. */
    public String jdbcUrl() {
        return "jdbc:libsql:" + url();
    }

    /** The server process's id (for benchmarks that pin it to a CPU). */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public Path databaseFile() {
        return databaseFile;
    }

    /** Where the server's standard output and error go (appended across restarts). */
    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops politely (SIGTERM), forcibly after a grace period. A second call does nothing. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Kills the server at once (SIGKILL), as a crash would: only what was committed survives. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops and starts again on the same file and port: an outage as clients see it. */
    public void restart() {
        stop();
        launchAndAwait(port);
    }

    /** Starts again after {@link #stop()} or {@link #kill()}, on the same file and port. */
    public void startAgain() {
        if (!isRunning()) {
            launchAndAwait(port);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void startOnFreePort() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                launchAndAwait(freePort());
                return;
            } catch (IllegalStateException e) {
                // Another process may take the free port between our probe and the server's bind: try another.
                last = e;
            }
        }
        throw last;
    }

    private void launchAndAwait(int onPort) {
        try {
            Files.createDirectories(databaseFile.getParent());
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(binary.toString(), databaseFile.toString(), "--sync-server",
                    "127.0.0.1:" + onPort)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
            port = onPort;
            // another server may have had this port: what the driver learned about that one is not this one's
            io.pgturso.libsql.hrana.HranaClient.forget("127.0.0.1:" + onPort);
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        awaitPort();
    }

    // Polls the port until it accepts; waiting on the process between polls also notices an early exit.
    private void awaitPort() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 250);
                return;
            } catch (IOException notYet) {
                try {
                    if (process.waitFor(25, TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("tursodb exited with " + process.exitValue()
                                + " before listening on port " + port + ": " + logTail());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for tursodb", e);
                }
            }
        }
        stop();
        throw new IllegalStateException("tursodb did not listen on port " + port + " within " + READY_TIMEOUT
                + ": " + logTail());
    }

    private String logTail() {
        try {
            String log = Files.readString(logFile, StandardCharsets.UTF_8);
            return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static Path targetDirectory() {
        String projectDir = System.getProperty("project.dir");
        return (projectDir == null ? Paths.get("") : Paths.get(projectDir)).toAbsolutePath().resolve("target");
    }

    private static Path binary() {
        String configured = System.getProperty(BINARY_PROPERTY);
        Path path = configured != null ? Paths.get(configured) : targetDirectory().getParent().resolve(INSTALLED_BINARY);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("tursodb binary not found at " + path + ": run the tests through Maven "
                    + "(mvn test), whose generate-test-resources phase installs it with npm into target/tursodb");
        }
        return path;
    }

    @Override
    public String toString() {
        return "TursoServer[" + url() + ", " + databaseFile + (isRunning() ? "" : ", stopped") + "]";
    }
}
