package io.pgturso.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sync processes of one multi-process test, each in its own JVM with its log kept under
 * {@code target/cluster-logs/<test>/}, and what a failure needs to be understood: the pass timeline, Postgres's
 * sessions and locks, Quartz's tables and every live process's threads, written there and printed.
 */
public final class ProcessCluster implements AutoCloseable {
    private static final Pattern STARTED = Pattern.compile("Apache Camel \\S+ \\(\\S+\\) started in ");
    private static final int TAIL = 40;

    private final Path configDir;
    private final Path logs;
    private final SyncHarness sync;
    private final Map<String, SyncProcess> processes = new LinkedHashMap<>();
    private final Set<String> killed = new HashSet<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final JdbcTemplate monitor;
    private final PassLog passes;

    /** A cluster of processes sharing {@code sync}'s configuration; {@code test} names the folder of its logs. */
    public ProcessCluster(SyncHarness sync, String test) {
        this.sync = sync;
        this.configDir = sync.dir();
        this.logs = Path.of(System.getProperty("project.dir", ".")).resolve("target").resolve("cluster-logs").resolve(test);
        emptyFolder(logs);
        this.monitor = pool("cluster-test monitor", 2);
        this.passes = new PassLog(monitor);
        monitor.execute(PassLog.DDL);
    }

    /**
     * A pool on the source database for the test's own queries, none of which can block: connecting, reading and
     * every statement are bounded, so a wait's condition returns (or fails saying why) within seconds.
     */
    public JdbcTemplate pool(String applicationName, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(applicationName.replace(' ', '-'));
        config.setJdbcUrl(sync.pgUrl());
        config.setUsername(sync.postgres().user());
        config.setPassword(sync.postgres().password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", applicationName);
        config.addDataSourceProperty("connectTimeout", "10");
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("options", "-c statement_timeout=10000 -c lock_timeout=5000");
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return new JdbcTemplate(pool);
    }

    /** The test's own bounded connection (see {@link #pool}). */
    public JdbcTemplate monitor() {
        return monitor;
    }

    /** The passes the processes recorded. */
    public PassLog passes() {
        return passes;
    }

    /** Where the logs, the timeline and a failure's report are kept. */
    public Path logs() {
        return logs;
    }

    /** Starts process {@code node} ({@code run}), logging to {@code <node>.log}. */
    public void start(String node) {
        processes.put(node, SyncProcess.start(configDir, log(node), Map.of("PGTURSO_TEST_NODE", node), "run"));
    }

    /** True once the process has logged that Camel started (its schedules are live). */
    public boolean started(String node) {
        return STARTED.matcher(read(log(node))).find();
    }

    /** SIGKILL, recorded in {@code node_kill}; a killed process is not a failure of the waits. */
    public void kill(String node) throws InterruptedException {
        killed.add(node);
        processes.get(node).kill();
        passes.killed(node);
    }

    /**
     * Kills a process while it is inside a pass: pauses (SIGSTOP) the process with the most open passes, lets the
     * writes its recorder had already sent land, and kills it (SIGKILL) if it still has a pass open, else resumes it and
     * tries again. Returns the victim and the tables whose pass died with it, once its sessions are gone.
     */
    public Kill killInsideAPass(Duration bound) {
        AtomicReference<String> victim = new AtomicReference<>();
        await("a process inside a pass, killed", bound).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<String> candidates = passes.nodesInsideAPass();
            candidates.removeAll(killed);
            if (candidates.isEmpty()) {
                return false;
            }
            String node = candidates.get(0);
            SyncProcess p = processes.get(node);
            p.pause();
            boolean inside = false;
            try {
                await(node + "'s recorder, paused, has no statement in flight", Duration.ofSeconds(20)).during(Duration.ofMillis(200))
                        .until(() -> recorderSessions(node, "AND state <> 'idle'") == 0);
                inside = !passes.openPasses(node).isEmpty();
            } finally {
                if (!inside) {
                    p.resume();
                }
            }
            if (!inside) {
                return false;
            }
            kill(node);
            victim.set(node);
            return true;
        });
        String node = victim.get();
        // the killed process's sessions end once Postgres has run what they had sent: then its open passes are final
        await(node + "'s sessions ended after the kill", Duration.ofSeconds(30)).until(() -> recorderSessions(node, "") == 0);
        return new Kill(node, passes.openPasses(node));
    }

    private long recorderSessions(String node, String condition) {
        return monitor.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? " + condition, Long.class,
                PassRecorder.APPLICATION_NAME + node);
    }

    /** The process killed inside a pass, and the tables whose pass it was running. */
    public record Kill(String node, List<String> held) {
    }

    /**
     * A wait of its own: named, bounded by {@code bound}, polling a condition that must not block (use {@link #monitor()}),
     * and failing at once, with the process's log, if a process the test did not kill has exited.
     */
    public ConditionFactory await(String what, Duration bound) {
        return Awaitility.await(what).atMost(bound).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .failFast("a sync process exited", this::noneExited);
    }

    private void noneExited() {
        processes.forEach((node, p) -> {
            if (!killed.contains(node) && !p.isAlive()) {
                throw new AssertionError(node + " exited with code " + p.exitCode() + "; its log " + log(node) + " ends:\n" + tail(node));
            }
        });
    }

    /** Prints the timeline and keeps it as {@code timeline.txt}. */
    public String timeline() {
        String timeline = passes.timeline();
        write("timeline.txt", timeline + "\n");
        System.out.println(timeline);
        return timeline;
    }

    /**
     * Keeps what explains a failure next to the logs (timeline, Postgres's sessions and locks, Quartz's tables, the
     * threads of every live process) and prints it with the end of each log. Runs before the processes are killed.
     */
    public void report(Throwable failure) {
        StringBuilder out = new StringBuilder("\n===== The cluster test failed: ").append(failure).append("\n===== Logs, timeline and report: ")
                .append(logs.toAbsolutePath()).append('\n');
        out.append(safely("timeline", this::timeline)).append('\n');
        String postgres = safely("Postgres", this::postgresState);
        write("postgres.txt", postgres);
        out.append(postgres);
        processes.forEach((node, p) -> {
            if (p.isAlive()) {
                p.resume();
                write(node + "-threads.txt", p.threadDump());
            }
            out.append("----- ").append(node).append(p.isAlive() ? " (running" : " (exited: " + p.exitCode()).append(killed.contains(node) ? ", killed by the test" : "")
                    .append("), last ").append(TAIL).append(" lines of ").append(log(node)).append(p.isAlive() ? ", threads in " + logs.resolve(node + "-threads.txt") : "")
                    .append('\n').append(tail(node)).append('\n');
        });
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        write("failure.txt", trace.toString());
        System.out.println(out);
    }

    /** Sessions of the test database (who waits on whom), locks not granted, and Quartz's view of the cluster. */
    private String postgresState() {
        StringBuilder out = new StringBuilder();
        dump(out, "sessions", """
                SELECT pid, application_name AS app, state, wait_event_type || ':' || wait_event AS waits, pg_blocking_pids(pid) AS blocked_by,
                       round(extract(epoch FROM clock_timestamp() - xact_start)::numeric, 1) AS xact_s,
                       round(extract(epoch FROM clock_timestamp() - query_start)::numeric, 1) AS query_s,
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY application_name, pid""");
        dump(out, "locks not granted", """
                SELECT pid, locktype, mode, relation::regclass AS relation, classid, objid FROM pg_locks WHERE NOT granted""");
        dump(out, "connections to the server", "SELECT count(*) AS used, current_setting('max_connections') AS max FROM pg_stat_activity");
        if (Boolean.TRUE.equals(monitor.queryForObject("SELECT to_regclass('pgturso_quartz.qrtz_triggers') IS NOT NULL", Boolean.class))) {
            dump(out, "Quartz: check-ins", """
                    SELECT instance_name, round(extract(epoch FROM clock_timestamp() - to_timestamp(last_checkin_time / 1000.0))::numeric, 1) AS silent_s
                    FROM pgturso_quartz.qrtz_scheduler_state ORDER BY instance_name""");
            dump(out, "Quartz: triggers", """
                    SELECT trigger_name, trigger_state, round(extract(epoch FROM to_timestamp(next_fire_time / 1000.0) - clock_timestamp())::numeric, 1) AS next_fire_in_s
                    FROM pgturso_quartz.qrtz_triggers ORDER BY trigger_name""");
            dump(out, "Quartz: fired triggers", """
                    SELECT trigger_name, instance_name, state, round(extract(epoch FROM clock_timestamp() - to_timestamp(fired_time / 1000.0))::numeric, 1) AS fired_s_ago
                    FROM pgturso_quartz.qrtz_fired_triggers ORDER BY trigger_name""");
        }
        return out.toString();
    }

    private void dump(StringBuilder out, String title, String sql) {
        out.append("--- ").append(title).append('\n');
        try {
            monitor.queryForList(sql).forEach(row -> out.append("  ").append(row).append('\n'));
        } catch (RuntimeException e) {
            out.append("  (query failed: ").append(e.getMessage()).append(")\n");
        }
    }

    private static String safely(String what, Supplier<String> part) {
        try {
            return part.get();
        } catch (RuntimeException e) {
            return "(" + what + " unavailable: " + e.getMessage() + ")\n";
        }
    }

    private Path log(String node) {
        return logs.resolve(node + ".log");
    }

    private String tail(String node) {
        List<String> lines = read(log(node)).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL), lines.size()));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String name, String text) {
        try {
            Files.writeString(logs.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void emptyFolder(Path folder) {
        try {
            Files.createDirectories(folder);
            try (Stream<Path> old = Files.list(folder)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills every process still running and closes the test's pools. */
    @Override
    public void close() throws InterruptedException {
        for (SyncProcess p : processes.values()) {
            p.close();
        }
        pools.forEach(HikariDataSource::close);
    }
}
