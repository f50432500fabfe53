package io.pgturso.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncProcess;
import io.pgturso.testing.TenantFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * kill -9 of the process streaming a table with fan-out while writers insert, update, delete, re-key and move rows
 * between tenants: every Postgres row ends in its tenant's database, as Postgres has it, and in no other.
 */
@Tag("reliability")
class TenantCdcKillTest {
    private static final int SEED_ROWS = 2_000;
    private static final int TENANTS = 10;

    @TempDir
    Path dir;

    @Test
    @Timeout(900)
    void kills_during_streaming_into_tenant_files_lose_duplicate_and_leave_stale_nothing() throws Exception {
        int kills = 6;
        String slot = CdcTesting.uniqueSlot();
        Random random = new Random();
        Path log = dir.resolve("sync.log");
        TenantFiles tenants = new TenantFiles(dir.resolve("tenants"));
        try (SyncHarness sync = SyncHarness.create(dir, tenants, LogicalPostgres.get().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE items (id bigint PRIMARY KEY, tenant_id text NOT NULL, v bigint NOT NULL, note text)");
            pg.update("INSERT INTO items SELECT g, 't' || (g % " + TENANTS + "), 0, 'seed ' || g FROM generate_series(1, "
                    + SEED_ROWS + ") g");
            CdcTesting.streaming(sync, slot).table("items", "table=items", "mode=cdc", "fan-out=tenant_id");
            sync.writeConfig();
            Writers writers = new Writers(pg);
            try {
                for (int i = 0; i < kills; i++) {
                    long before = position(tenants, slot);
                    try (SyncProcess process = SyncProcess.start(dir, log, Map.of(), "run")) {
                        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(50))
                                .until(() -> !process.isAlive() || position(tenants, slot) > before);
                        assertThat(process.isAlive()).as("the sync died by itself; see %s", Files.readString(log)).isTrue();
                        long pause = random.nextInt(2_000);
                        await().pollDelay(Duration.ofMillis(pause)).atMost(Duration.ofMillis(pause + 1_000)).until(() -> true);
                        process.kill();
                    }
                }
                writers.stop();
                try (SyncProcess last = SyncProcess.start(dir, log, Map.of(), "run")) {
                    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> differences(pg, tenants).isEmpty());
                }
            } finally {
                writers.stop();
                CdcTesting.dropSlot(pg, slot);
            }
            List<String> differences = differences(pg, tenants);
            System.out.printf("cdc fan-out kill -9 loop (files): %d kills, %d transactions by the writers (%d failed and "
                    + "rolled back), %d rows in %d tenant databases; rows lost, extra, stale or in another tenant's database: "
                    + "%d%n", kills, writers.transactions.get(), writers.failures.get(),
                    pg.queryForObject("SELECT count(*) FROM items", Long.class), tenants.databases().size(), differences.size());
            assertThat(differences).as("rows lost, extra, stale or in another tenant's database").isEmpty();
            assertThat(writers.transactions.get()).as("transactions written during the kills").isGreaterThan(100);
            assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
        }
    }

    /** Each difference between Postgres and the tenant databases: a row missing, extra or stale in one, by database. */
    private static List<String> differences(JdbcTemplate pg, TenantFiles tenants) {
        List<String> out = new ArrayList<>();
        Map<String, Map<Long, String>> expected = new HashMap<>();
        pg.query("SELECT id, tenant_id, v, note FROM items", rs -> {
            expected.computeIfAbsent(rs.getString(2), t -> new HashMap<>()).put(rs.getLong(1), rs.getLong(3) + "|" + rs.getString(4));
        });
        java.util.Set<String> databases = new java.util.TreeSet<>(expected.keySet());
        databases.addAll(tenants.databases());
        for (String database : databases) {
            Map<Long, String> actual = new HashMap<>();
            try {
                tenants.tenant(database).query("SELECT id, v, note FROM items", rs -> {
                    actual.put(rs.getLong(1), rs.getLong(2) + "|" + rs.getString(3));
                });
            } catch (RuntimeException e) {
                // not created yet
            }
            Map<Long, String> want = expected.getOrDefault(database, Map.of());
            want.forEach((id, row) -> {
                if (!row.equals(actual.get(id))) {
                    out.add(database + ": row " + id + " is " + actual.get(id) + ", Postgres has " + row);
                }
            });
            actual.keySet().stream().filter(id -> !want.containsKey(id)).forEach(id -> out.add(database + ": extra row " + id));
        }
        return out;
    }

    /** The highest position any tenant database stored (0 before any). */
    private static long position(TenantFiles tenants, String slot) {
        long max = 0;
        for (String database : tenants.databases()) {
            try {
                List<Long> lsn = tenants.tenant(database).queryForList("SELECT lsn FROM pgturso_cdc WHERE slot = ?", Long.class, slot);
                max = lsn.isEmpty() ? max : Math.max(max, lsn.get(0));
            } catch (RuntimeException e) {
                // no position table yet
            }
        }
        return max;
    }

    /**
     * Two writers, each on its own session, committing every 5 ms a transaction of 1 to 4 changes: inserts, updates,
     * moves to another tenant, deletes and key changes of random rows.
     */
    private static final class Writers {
        private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
        private final AtomicLong transactions = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong nextId = new AtomicLong(1_000_000);
        private final List<Connection> sessions = new ArrayList<>();

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
                    String sql = op < 2 ? "INSERT INTO items VALUES (?, 't' || (? % " + TENANTS + "), 0, 'new') ON CONFLICT (id) DO NOTHING"
                            : op < 6 ? "UPDATE items SET v = v + 1, note = 'updated' WHERE id = ? AND ? >= 0"
                            : op < 8 ? "UPDATE items SET tenant_id = 't' || (? % " + TENANTS + "), v = v + 1 WHERE id = ?"
                            : op < 9 ? "DELETE FROM items WHERE id = ? AND ? >= 0"
                            : "UPDATE items SET id = ? WHERE id = ?";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        if (op == 9) {
                            ps.setLong(1, nextId.incrementAndGet());
                            ps.setLong(2, id);
                        } else if (op >= 6 && op < 8) {
                            ps.setLong(1, random.nextInt(TENANTS));
                            ps.setLong(2, id);
                        } else {
                            ps.setLong(1, id);
                            ps.setLong(2, id);
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
