package io.pgturso.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncProcess;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * kill -9 of the process reading the change stream while writers insert, update, delete and re-key rows: nothing is
 * lost, duplicated or left stale; and with a cluster, a standby takes the slot over within seconds of the reader's death.
 */
@Tag("reliability")
class CdcKillTest {
    private static final int SEED_ROWS = 2_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(900)
    void kills_during_streaming_with_writers_lose_duplicate_and_leave_stale_nothing_in_a_file() throws Exception {
        survivesKills(TestTarget.file(dir), 6);
    }

    @Test
    @Timeout(900)
    void kills_during_streaming_with_writers_lose_duplicate_and_leave_stale_nothing_in_tursodb() throws Exception {
        try (TestTarget turso = TestTarget.turso(dir)) {
            survivesKills(turso, 6);
        }
    }

    @Test
    @Timeout(600)
    void a_standby_takes_the_slot_over_within_seconds_of_the_reader_being_killed() throws Exception {
        String slot = CdcTesting.uniqueSlot();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE items (id bigint PRIMARY KEY, v bigint NOT NULL, note text)");
            CdcTesting.streaming(sync, slot).table("items", "table=items", "mode=cdc")
                    .property("sync.cluster.enabled", "true").property("sync.cluster.checkin-interval-ms", "1000");
            sync.writeConfig();
            Path logA = dir.resolve("a.log");
            Path logB = dir.resolve("b.log");
            try (SyncProcess a = SyncProcess.start(dir, logA, Map.of(), "run")) {
                pg.update("INSERT INTO items VALUES (1, 1, 'first')");
                await().atMost(Duration.ofSeconds(180)).until(() -> count(sync, "SELECT count(*) FROM items") == 1);
                try (SyncProcess b = SyncProcess.start(dir, logB, Map.of(), "run")) {
                    await().atMost(Duration.ofSeconds(180)).until(() -> Files.readString(logB).contains("waits as a standby"));
                    a.kill();
                    long killed = System.nanoTime();
                    pg.update("INSERT INTO items VALUES (2, 2, 'after the kill')");
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                            .until(() -> count(sync, "SELECT count(*) FROM items") == 2);
                    double seconds = (System.nanoTime() - killed) / 1e9;
                    System.out.printf("cdc takeover: a change committed after the reader's SIGKILL was in the target %.1f s "
                            + "later, applied by the standby%n", seconds);
                    assertThat(seconds).as("the standby took the slot over (log: %s)", Files.readString(logB)).isLessThan(15.0);
                    assertThat(Files.readString(logB)).contains("Streaming slot " + slot);
                }
            } finally {
                CdcTesting.dropSlot(pg, slot);
            }
        }
    }

    private void survivesKills(TestTarget target, int kills) throws Exception {
        String slot = CdcTesting.uniqueSlot();
        Random random = new Random();
        Path log = dir.resolve("sync.log");
        try (SyncHarness sync = SyncHarness.create(dir, target, LogicalPostgres.get().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE items (id bigint PRIMARY KEY, v bigint NOT NULL, note text)");
            pg.update("INSERT INTO items SELECT g, 0, 'seed ' || g FROM generate_series(1, " + SEED_ROWS + ") g");
            CdcTesting.streaming(sync, slot).table("items", "table=items", "mode=cdc");
            sync.writeConfig();
            Writers writers = new Writers(pg);
            try {
                for (int i = 0; i < kills; i++) {
                    long before = position(sync, slot);
                    try (SyncProcess process = SyncProcess.start(dir, log, Map.of(), "run")) {
                        // streaming: the process stored a position past the one before it started
                        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(50))
                                .until(() -> !process.isAlive() || position(sync, slot) > before);
                        assertThat(process.isAlive()).as("the sync died by itself; see %s", Files.readString(log)).isTrue();
                        long pause = random.nextInt(2_000);
                        await().pollDelay(Duration.ofMillis(pause)).atMost(Duration.ofMillis(pause + 1_000)).until(() -> true);
                        process.kill();
                    }
                }
                writers.stop();
                try (SyncProcess last = SyncProcess.start(dir, log, Map.of(), "run")) {
                    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> rows(pg.queryForList("SELECT id, v, note FROM items")).equals(rows(targetRows(sync))));
                }
            } finally {
                writers.stop();
                CdcTesting.dropSlot(pg, slot);
            }
            Map<Long, String> source = rows(pg.queryForList("SELECT id, v, note FROM items"));
            Map<Long, String> copy = rows(targetRows(sync));
            Set<Long> lost = new HashSet<>(source.keySet());
            lost.removeAll(copy.keySet());
            Set<Long> extra = new HashSet<>(copy.keySet());
            extra.removeAll(source.keySet());
            long stale = source.keySet().stream().filter(copy::containsKey).filter(id -> !source.get(id).equals(copy.get(id)))
                    .count();
            System.out.printf("cdc kill -9 loop (%s): %d kills, %d transactions by the writers (%d failed and rolled back), "
                    + "%d rows; lost %d, extra %d, stale %d%n", target.url().startsWith("file:") ? "file" : "tursodb", kills,
                    writers.transactions.get(), writers.failures.get(), source.size(), lost.size(), extra.size(), stale);
            assertThat(lost).as("rows lost").isEmpty();
            assertThat(extra).as("rows the target has and Postgres does not (duplicated under an old key, or resurrected)")
                    .isEmpty();
            assertThat(stale).as("rows with an older value").isZero();
            assertThat(writers.transactions.get()).as("transactions written during the kills").isGreaterThan(100);
            assertThat(count(sync, "SELECT count(*) FROM pgturso_dead_letters")).isZero();
        }
    }

    private static List<Map<String, Object>> targetRows(SyncHarness sync) {
        try {
            return sync.target().queryForList("SELECT id, v, note FROM items");
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static Map<Long, String> rows(List<Map<String, Object>> rows) {
        Map<Long, String> out = new HashMap<>();
        rows.forEach(r -> out.put(((Number) r.get("id")).longValue(), ((Number) r.get("v")).longValue() + "|" + r.get("note")));
        return out;
    }

    private static long position(SyncHarness sync, String slot) {
        try {
            List<Long> lsn = sync.target().queryForList("SELECT lsn FROM pgturso_cdc WHERE slot = ?", Long.class, slot);
            return lsn.isEmpty() ? 0 : lsn.get(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long count(SyncHarness sync, String sql) {
        try {
            return sync.target().queryForObject(sql, Long.class);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Two writers, each on its own session, committing every 5 ms a transaction of 1 to 4 changes: inserts, updates,
     * deletes and key changes of random rows.
     */
    private static final class Writers {
        private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
        private final AtomicLong transactions = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong nextId = new AtomicLong(1_000_000);
        private final List<Connection> sessions = new java.util.ArrayList<>();

        Writers(JdbcTemplate pg) throws SQLException {
            for (int w = 0; w < 2; w++) {
                Connection c = pg.getDataSource().getConnection();
                sessions.add(c);
                c.setAutoCommit(false);
                Random random = new Random(w);
                threads.scheduleWithFixedDelay(() -> write(c, random), 0, 5, TimeUnit.MILLISECONDS);
            }
        }

        private void write(Connection c, Random random) {
            try {
                int changes = 1 + random.nextInt(4);
                for (int i = 0; i < changes; i++) {
                    long id = 1 + random.nextInt(SEED_ROWS);
                    int op = random.nextInt(10);
                    String sql = op < 3 ? "INSERT INTO items VALUES (?, 0, 'new') ON CONFLICT (id) DO NOTHING"
                            : op < 8 ? "UPDATE items SET v = v + 1, note = 'updated' WHERE id = ?"
                            : op < 9 ? "DELETE FROM items WHERE id = ?"
                            : "UPDATE items SET id = ? WHERE id = ?";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        if (op == 9) {
                            ps.setLong(1, nextId.incrementAndGet());
                            ps.setLong(2, id);
                        } else {
                            ps.setLong(1, op < 3 ? 1 + random.nextInt(SEED_ROWS) : id);
                        }
                        ps.executeUpdate();
                    }
                }
                c.commit();
                transactions.incrementAndGet();
            } catch (SQLException e) {
                failures.incrementAndGet();
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the session is gone: later writes fail and are counted
                }
            }
        }

        void stop() throws InterruptedException {
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
            for (Connection c : sessions) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closed already
                }
            }
        }
    }
}
