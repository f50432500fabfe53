package io.pgturso.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.PassRecorder;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncProcess;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ComparisonResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several processes share the tables through Quartz's clustered job store while writers insert and update rows of every
 * table; one process is killed (SIGKILL) in the middle of a pass. Every table keeps syncing on the others, the passes recorded by
 * every process never overlap for one table, and at the end the target equals the source.
 */
class ClusterFailoverTest {
    private static final long CHECKIN_MS = 1000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void two_processes_two_tables_the_survivor_takes_over_the_killed_process_tables() throws Exception {
        failover(2, 2, 2_000, false);
    }

    @Test
    @Tag("reliability")
    @Timeout(600)
    void three_processes_six_tables_with_writers_survive_a_kill_mid_pass() throws Exception {
        failover(3, 6, 20_000, true);
    }

    /** With {@code allBusyFirst}, the kill waits until every process has run passes, so the cluster is in full swing. */
    private void failover(int nodes, int tables, int seedRows, boolean allBusyFirst) throws Exception {
        try (TestTarget turso = TestTarget.turso(dir); SyncHarness sync = SyncHarness.create(dir, turso)) {
            JdbcTemplate pg = sync.pg();
            pg.execute(PassRecorder.DDL);
            pg.execute("CREATE TABLE node_kill (node text PRIMARY KEY, killed_at timestamptz NOT NULL)");
            pg.execute("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$");
            for (int t = 1; t <= tables; t++) {
                pg.execute("CREATE TABLE t" + t + " (id bigserial PRIMARY KEY, payload text, n int, updated_at timestamptz NOT NULL DEFAULT now())");
                pg.execute("CREATE INDEX ON t" + t + " (updated_at, id)");
                pg.execute("CREATE TRIGGER t" + t + "_touch BEFORE UPDATE ON t" + t + " FOR EACH ROW EXECUTE FUNCTION touch()");
                pg.update("INSERT INTO t" + t + " (payload, n) SELECT 'seed ' || g, g FROM generate_series(1, " + seedRows + ") g");
                sync.table("t" + t, "table=t" + t, "cursor=updated_at", "batchSize=200");
            }
            sync.property("sync.schedule", "* * * * * ?")
                    .property("sync.cluster.enabled", "true")
                    .property("sync.cluster.checkin-interval-ms", String.valueOf(CHECKIN_MS))
                    .property("sync.retry.max-attempts", "3")
                    .property("camel.main.configuration-classes", PassRecorder.class.getName())
                    .property("test.pass-log.url", sync.pgUrl());
            sync.writeConfig();

            List<SyncProcess> processes = new ArrayList<>();
            AtomicLong operations = new AtomicLong();
            ScheduledExecutorService writers = Executors.newScheduledThreadPool(2);
            try {
                for (int n = 1; n <= nodes; n++) {
                    processes.add(SyncProcess.start(dir, dir.resolve("n" + n + ".log"), Map.of("PGTURSO_TEST_NODE", "n" + n), "run"));
                }
                for (int w = 0; w < 2; w++) {
                    Random random = new Random(w);
                    writers.scheduleAtFixedRate(() -> write(pg, random, tables, operations), 0, 10, TimeUnit.MILLISECONDS);
                }
                if (allBusyFirst) {
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                            .until(() -> pg.queryForObject("SELECT count(DISTINCT node) FROM pass_log", Long.class) == nodes);
                }
                // the victim: the first process seen inside a pass
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10))
                        .failFast(() -> processes.stream().anyMatch(p -> !p.isAlive()))
                        .until(() -> !pg.queryForList("SELECT node FROM pass_log WHERE ended IS NULL", String.class).isEmpty());
                String victim = pg.queryForList("SELECT node FROM pass_log WHERE ended IS NULL ORDER BY id", String.class).get(0);
                processes.get(Integer.parseInt(victim.substring(1)) - 1).kill();
                pg.update("INSERT INTO node_kill VALUES (?, clock_timestamp())", victim);
                List<String> heldByVictim = pg.queryForList("SELECT route FROM pass_log WHERE node = ? AND ended IS NULL", String.class, victim);

                // every table, including those whose pass died with the victim, completes passes on the survivors afterwards
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> tablesSyncedAfter(pg, "(SELECT killed_at FROM node_kill)") == tables);
                long writing = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> System.nanoTime() - writing > TimeUnit.SECONDS.toNanos(3));
                writers.shutdown();
                assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                String writersStopped = pg.queryForObject("SELECT CAST(clock_timestamp() AS text)", String.class);
                // passes that started after the last write have copied everything
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> tablesSyncedAfter(pg, "CAST('" + writersStopped + "' AS timestamptz)") == tables);
                for (int n = 1; n <= nodes; n++) {
                    if (!victim.equals("n" + n)) {
                        processes.get(n - 1).kill();
                        pg.update("INSERT INTO node_kill VALUES (?, clock_timestamp())", "n" + n);
                    }
                }

                System.out.println(timeline(pg, victim, heldByVictim));
                for (int n = 1; n <= nodes; n++) {
                    List<String> warnings = Files.readAllLines(dir.resolve("n" + n + ".log")).stream()
                            .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(10).toList();
                    System.out.println("n" + n + " warnings and errors: " + (warnings.isEmpty() ? "none" : "\n  " + String.join("\n  ", warnings)));
                }
                List<String> overlaps = pg.queryForList("""
                        SELECT a.route || ': ' || a.node || ' ' || a.started || '..' || coalesce(a.ended, ka.killed_at)
                               || ' overlaps ' || b.node || ' ' || b.started || '..' || coalesce(b.ended, kb.killed_at)
                        FROM pass_log a JOIN node_kill ka ON ka.node = a.node
                        JOIN pass_log b ON b.route = a.route AND b.id > a.id JOIN node_kill kb ON kb.node = b.node
                        WHERE tstzrange(a.started, coalesce(a.ended, ka.killed_at)) && tstzrange(b.started, coalesce(b.ended, kb.killed_at))""",
                        String.class);
                assertThat(overlaps).as("passes of one table that overlapped").isEmpty();
                assertThat(pg.queryForObject("SELECT count(DISTINCT node) FROM pass_log", Long.class))
                        .as("every process ran passes").isEqualTo(nodes);
                assertThat(heldByVictim).as("the killed process was inside a pass").isNotEmpty();
                assertThat(operations.get()).as("writers wrote").isGreaterThan(100);
            } finally {
                writers.shutdownNow();
                for (SyncProcess p : processes) {
                    p.close();
                }
            }

            sync.start(false);
            for (int t = 1; t <= tables; t++) {
                ComparisonResult result = sync.compare("t" + t);
                assertThat(result.isEqual()).as("t" + t + ": " + result + "\n" + Files.readString(dir.resolve("n1.log"))).isTrue();
            }
        }
    }

    private static void write(JdbcTemplate pg, Random random, int tables, AtomicLong operations) {
        String table = "t" + (1 + random.nextInt(tables));
        int op = random.nextInt(100);
        if (op < 50) {
            pg.update("INSERT INTO " + table + " (payload, n) VALUES ('w', ?)", random.nextInt(1000));
        } else {
            pg.update("UPDATE " + table + " SET n = n + 1, payload = 'u' WHERE id = ?", 1 + random.nextInt(1000));
        }
        operations.incrementAndGet();
    }

    private static long openPasses(JdbcTemplate pg, String node) {
        return pg.queryForObject("SELECT count(*) FROM pass_log WHERE node = ? AND ended IS NULL", Long.class, node);
    }

    /** Tables with a pass that started after {@code since} (an SQL expression) and completed. */
    private static long tablesSyncedAfter(JdbcTemplate pg, String since) {
        return pg.queryForObject("SELECT count(DISTINCT route) FROM pass_log WHERE ended IS NOT NULL AND started > " + since, Long.class);
    }

    /** Per table, the runs of consecutive passes by one process, in seconds from the first pass, and the kill. */
    private static String timeline(JdbcTemplate pg, String victim, List<String> heldByVictim) {
        StringBuilder out = new StringBuilder("Cluster timeline (s from the first pass; " + victim + " killed at ");
        out.append(pg.queryForObject("SELECT round(extract(epoch FROM k.killed_at - f.first)::numeric, 2) FROM node_kill k, "
                + "(SELECT min(started) AS first FROM pass_log) f WHERE k.node = ?", String.class, victim)).append(" s, inside a pass of ")
                .append(heldByVictim).append(")\n");
        Map<String, List<String>> runs = new LinkedHashMap<>();
        pg.query("""
                WITH f AS (SELECT min(started) AS first FROM pass_log),
                p AS (SELECT route, node, started, coalesce(ended, k.killed_at) AS ended, ended IS NULL AS cut,
                             CASE WHEN node = lag(node) OVER (PARTITION BY route ORDER BY started) THEN 0 ELSE 1 END AS change
                      FROM pass_log JOIN node_kill k USING (node)),
                g AS (SELECT *, sum(change) OVER (PARTITION BY route ORDER BY started) AS run FROM p)
                SELECT route, node, count(*) AS passes, bool_or(cut) AS cut,
                       round(extract(epoch FROM min(started) - (SELECT first FROM f))::numeric, 2) AS from_s,
                       round(extract(epoch FROM max(ended) - (SELECT first FROM f))::numeric, 2) AS to_s
                FROM g GROUP BY route, run, node ORDER BY route, min(started)""", rs -> {
            runs.computeIfAbsent(rs.getString("route"), r -> new ArrayList<>()).add(rs.getString("node") + " x" + rs.getLong("passes")
                    + " [" + rs.getString("from_s") + "-" + rs.getString("to_s") + (rs.getBoolean("cut") ? " killed" : "") + "]");
        });
        runs.forEach((route, list) -> out.append("  ").append(route).append(": ").append(String.join(" -> ", list)).append('\n'));
        out.append(pg.queryForObject("""
                SELECT 'takeover after the kill: ' || coalesce(string_agg(route || ' ' || round(extract(epoch FROM s - k.killed_at)::numeric, 2)
                       || ' s', ', '), 'none')
                FROM (SELECT route, min(started) AS s FROM pass_log, node_kill k0
                      WHERE k0.node = ? AND started > k0.killed_at AND route IN (SELECT route FROM pass_log WHERE node = ? AND ended IS NULL)
                      GROUP BY route) x, node_kill k WHERE k.node = ?""", String.class, victim, victim, victim));
        return out.toString();
    }
}
