package io.pgturso.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.PassLog;
import io.pgturso.testing.PassRecorder;
import io.pgturso.testing.ProcessCluster;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ComparisonResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several processes share the tables through Quartz's clustered job store while writers insert and update rows of every
 * table; one process is killed (SIGKILL) in the middle of a pass. Every table keeps syncing on the others, the passes recorded by
 * every process never overlap for one table, and at the end the target equals the source. Every wait has its own bound
 * (their sum stays under the test's limit); on failure the processes' logs, the timeline, Postgres's sessions and locks and
 * the processes' threads are printed and kept under {@code target/cluster-logs/<test>/}.
 */
class ClusterFailoverTest {
    private static final long CHECKIN_MS = 1000;
    /** JVM start to Camel started, three at once on a busy 2-core machine took up to 65 s. */
    private static final Duration START = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    @Test
    @Timeout(720)
    void two_processes_two_tables_the_survivor_takes_over_the_killed_process_tables(TestInfo test) throws Exception {
        failover(test, 2, 2, 2_000, false);
    }

    @Test
    @Tag("reliability")
    @Timeout(900)
    void three_processes_six_tables_with_writers_survive_a_kill_mid_pass(TestInfo test) throws Exception {
        failover(test, 3, 6, 20_000, true);
    }

    /**
     * The tables spread over the processes as their schedules fire: every process, also one started into a busy
     * cluster, keeps getting passes, rather than the process that just ran a table taking its next firing every time.
     */
    @Test
    @Tag("reliability")
    @Timeout(600)
    void every_process_runs_passes_also_one_started_into_a_busy_cluster(TestInfo test) throws Exception {
        int tables = 4;
        try (TestTarget turso = TestTarget.turso(dir); SyncHarness sync = SyncHarness.create(dir, turso)) {
            configure(sync, tables, 2_000);
            try (ProcessCluster cluster = new ProcessCluster(sync, test.getTestMethod().orElseThrow().getName())) {
                PassLog passes = cluster.passes();
                try (Writers writers = new Writers(cluster.pool("cluster-test writers", 2), tables)) {
                    cluster.start("n1");
                    cluster.start("n2");
                    cluster.await("n1 and n2 started", START).until(() -> cluster.started("n1") && cluster.started("n2"));
                    String start = passes.now();
                    cluster.await("every table synced", Duration.ofSeconds(120)).until(() -> passes.tablesSyncedAfter(start).size() == tables);
                    cluster.start("n3");
                    cluster.await("n3 started", START).until(() -> cluster.started("n3"));
                    String joined = passes.now();
                    long waiting = System.nanoTime();
                    // each process looks for due schedules every second; before, an idle one slept 30 s and lost every race
                    cluster.await("passes on n1, n2 and n3 within 30 s of n3's start", Duration.ofSeconds(30))
                            .until(() -> passes.nodesWithPassesSince(joined).size() == 3);
                    System.out.printf("n1, n2 and n3 all ran passes %.1f s after n3 started%n", (System.nanoTime() - waiting) / 1e9);
                    cluster.timeline();
                } catch (Throwable failure) {
                    cluster.report(failure);
                    throw failure;
                }
            }
        }
    }

    /** With {@code allBusyFirst}, the kill waits until every process has run passes, so the cluster is in full swing. */
    private void failover(TestInfo test, int nodes, int tables, int seedRows, boolean allBusyFirst) throws Exception {
        try (TestTarget turso = TestTarget.turso(dir); SyncHarness sync = SyncHarness.create(dir, turso)) {
            configure(sync, tables, seedRows);
            try (ProcessCluster cluster = new ProcessCluster(sync, test.getTestMethod().orElseThrow().getName())) {
                try {
                    run(cluster, nodes, tables, allBusyFirst);
                } catch (Throwable failure) {
                    cluster.report(failure);
                    throw failure;
                }
            }

            sync.start(false);
            for (int t = 1; t <= tables; t++) {
                ComparisonResult result = sync.compare("t" + t);
                assertThat(result.isEqual()).as("t" + t + ": " + result + " (logs in target/cluster-logs)").isTrue();
            }
        }
    }

    private static void configure(SyncHarness sync, int tables, int seedRows) {
        JdbcTemplate pg = sync.pg();
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
    }

    private static void run(ProcessCluster cluster, int nodes, int tables, boolean allBusyFirst) throws Exception {
        PassLog passes = cluster.passes();
        List<String> names = IntStream.rangeClosed(1, nodes).mapToObj(n -> "n" + n).toList();
        names.forEach(cluster::start);
        try (Writers writers = new Writers(cluster.pool("cluster-test writers", 2), tables)) {
            cluster.await("every process started", START).until(() -> names.stream().allMatch(cluster::started));
            if (allBusyFirst) {
                cluster.await("every process ran a pass", Duration.ofSeconds(90)).until(() -> passes.nodesWithPasses().size() == nodes);
            }
            ProcessCluster.Kill kill = cluster.killInsideAPass(Duration.ofSeconds(60));
            String killedAt = passes.killedAt(kill.node());
            // Quartz frees a silent process's tables after the check-in interval plus 7.5 s; the next schedule runs them elsewhere
            cluster.await("the tables " + kill.held() + " of the killed " + kill.node() + " taken over", Duration.ofSeconds(60))
                    .until(() -> passes.takenOver(kill.held(), kill.node(), killedAt).size() == kill.held().size());
            // a backfill cut by the kill resumes from its checkpoint on a survivor
            cluster.await("every table synced after the kill", Duration.ofSeconds(150))
                    .until(() -> passes.tablesSyncedAfter(killedAt).size() == tables);
            long writing = System.nanoTime();
            cluster.await("3 s more of writes", Duration.ofSeconds(30)).until(() -> System.nanoTime() - writing > TimeUnit.SECONDS.toNanos(3));
            writers.stop();
            String writersStopped = passes.now();
            // passes that started after the last write have copied everything
            cluster.await("every table synced after the writers stopped", Duration.ofSeconds(90))
                    .until(() -> passes.tablesSyncedAfter(writersStopped).size() == tables);
            for (String node : names) {
                if (!node.equals(kill.node())) {
                    cluster.kill(node);
                }
            }

            cluster.timeline();
            for (String node : names) {
                List<String> warnings = Files.readAllLines(cluster.logs().resolve(node + ".log")).stream()
                        .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(10).toList();
                System.out.println(node + " warnings and errors: " + (warnings.isEmpty() ? "none" : "\n  " + String.join("\n  ", warnings)));
            }
            assertThat(passes.overlaps()).as("passes of one table that overlapped").isEmpty();
            assertThat(passes.nodesWithPasses()).as("processes that ran passes").isEqualTo(names);
            assertThat(kill.held()).as("the killed process was inside a pass").isNotEmpty();
            assertThat(writers.operations()).as("writes done (%s failed)", writers.failures()).isGreaterThan(100);
        }
    }

    /** Two threads inserting and updating rows of every table on a bounded pool, every 10 ms each. */
    private static final class Writers implements AutoCloseable {
        private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
        private final AtomicLong operations = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();

        Writers(JdbcTemplate pg, int tables) {
            for (int w = 0; w < 2; w++) {
                Random random = new Random(w);
                threads.scheduleAtFixedRate(() -> write(pg, random, tables), 0, 10, TimeUnit.MILLISECONDS);
            }
        }

        private void write(JdbcTemplate pg, Random random, int tables) {
            String table = "t" + (1 + random.nextInt(tables));
            try {
                if (random.nextInt(100) < 50) {
                    pg.update("INSERT INTO " + table + " (payload, n) VALUES ('w', ?)", random.nextInt(1000));
                } else {
                    pg.update("UPDATE " + table + " SET n = n + 1, payload = 'u' WHERE id = ?", 1 + random.nextInt(1000));
                }
                operations.incrementAndGet();
            } catch (DataAccessException e) {
                // counted and reported: an exception would silently end this writer's schedule
                failures.incrementAndGet();
            }
        }

        void stop() throws InterruptedException {
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).as("writers stopped within 30 s").isTrue();
        }

        long operations() {
            return operations.get();
        }

        long failures() {
            return failures.get();
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }
}
