package io.pgturso.bench;

import io.pgturso.testing.TursoServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * CPUs for a cold-start benchmark: the server on the last CPU, this JVM (and so the processes it starts) and Postgres
 * on the others, as when the server is a machine of its own; nothing pinned on a single CPU.
 */
final class Pins {
    /** Counted before pinning: afterwards the JVM sees only its own CPUs. */
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static boolean pinned;

    private Pins() {
    }

    /** Pins this JVM and Postgres to every CPU but the last. */
    static void sidePinned(EmbeddedPostgres pg) throws Exception {
        if (CPUS < 2) {
            return;
        }
        pinned = true;
        pin(ProcessHandle.current().pid(), rest());
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            ProcessHandle postmaster = ProcessHandle.of(r.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
            pin(postmaster.pid(), rest());
            postmaster.descendants().forEach(child -> pin(child.pid(), rest()));
        }
    }

    /** The server, pinned to the last CPU. */
    static TursoServer server(TursoServer server) {
        if (pinned) {
            pin(server.pid(), Integer.toString(CPUS - 1));
        }
        return server;
    }

    static String describe() {
        return pinned ? "server on CPU " + (CPUS - 1) + ", Postgres and the sync on CPU " + rest() : "nothing pinned";
    }

    private static String rest() {
        return CPUS == 2 ? "0" : "0-" + (CPUS - 2);
    }

    private static void pin(long pid, String cpus) {
        try {
            new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (Exception e) {
            throw new IllegalStateException("taskset failed for " + pid, e);
        }
    }
}
