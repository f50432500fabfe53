package io.pgturso.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.tenant.TenantNames;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncProcess;
import io.pgturso.testing.TenantFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * kill -9 at any moment of a backfill into a database per tenant, while rows move between tenants, loses and duplicates
 * nothing: every Postgres row is in its tenant's database exactly once, and in no other.
 */
class TenantCrashSafetyTest {
    private static final int ROWS = 100_000;
    private static final int TENANTS = 100;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void a_kill_during_a_fan_out_backfill_loses_and_duplicates_nothing_in_any_tenant_database() throws Exception {
        backfillSurvivesKills(2, 7);
    }

    @Test
    @Timeout(1800)
    @Tag("reliability")
    void ten_kills_at_random_moments_of_a_fan_out_backfill_lose_and_duplicate_nothing() throws Exception {
        backfillSurvivesKills(10, System.nanoTime());
    }

    private void backfillSurvivesKills(int kills, long seed) throws Exception {
        Random random = new Random(seed);
        Path log = dir.resolve("sync.log");
        TenantFiles tenants = new TenantFiles(dir.resolve("tenants"));
        try (SyncHarness sync = SyncHarness.create(dir, tenants)) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text NOT NULL, payload text, "
                    + "updated_at timestamptz NOT NULL)");
            pg.execute("CREATE INDEX ON orders (updated_at, id)");
            // tenants interleaved (every page holds rows of them all); groups of 7 rows share a cursor value
            pg.update("INSERT INTO orders SELECT g, 'Tenant ' || (g % " + TENANTS + "), 'row ' || g || repeat('.', g % 40), "
                    + "'2024-01-01'::timestamptz + (g / 7) * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
            sync.property("sync.schedule", "* * * * * ?");
            sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id", "batchSize=2000");
            sync.writeConfig();

            for (int i = 0; i < kills; i++) {
                long before = written(tenants);
                long killAt = before + 1 + random.nextInt(ROWS / (kills + 1));
                try (SyncProcess process = SyncProcess.start(dir, log, Map.of(), "run")) {
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                            .until(() -> !process.isAlive() || written(tenants) >= killAt);
                    assertThat(process.isAlive()).as("the sync died by itself; see " + Files.readString(log)).isTrue();
                    process.kill();
                }
                // rows move to other tenants between the kills: some already copied, some not yet
                // (later than the backfill's cursors, earlier than now: the horizon reads nothing from the future)
                pg.update("UPDATE orders SET tenant_id = 'Tenant ' || ((id + ?) % " + TENANTS + "), updated_at = "
                        + "'2025-01-01'::timestamptz + (? * 1000000 + id) * interval '1 millisecond' WHERE id % 97 = ?", i + 1, i, i);
            }
            try (SyncProcess finish = SyncProcess.start(dir, log, Map.of(), "once")) {
                assertThat(finish.waitFor(300)).as(Files.readString(log)).isZero();
            }

            Map<Long, String> expected = new HashMap<>();
            pg.query("SELECT id, tenant_id, payload FROM orders", rs -> {
                expected.put(rs.getLong(1), rs.getString(2) + "|" + rs.getString(3));
            });
            Map<Long, String> found = new HashMap<>();
            List<String> duplicated = new ArrayList<>();
            List<String> misplaced = new ArrayList<>();
            for (String database : tenants.databases()) {
                tenants.tenant(database).query("SELECT id, tenant_id, payload FROM orders", rs -> {
                    long id = rs.getLong(1);
                    String tenant = rs.getString(2);
                    if (found.put(id, tenant + "|" + rs.getString(3)) != null) {
                        duplicated.add(id + " again in " + database);
                    }
                    if (!TenantNames.databaseName(tenant).equals(database)) {
                        misplaced.add(id + " of " + tenant + " in " + database);
                    }
                });
            }
            assertThat(tenants.databases()).hasSize(TENANTS);
            assertThat(duplicated).as("rows in two tenant databases").isEmpty();
            assertThat(misplaced).as("rows in another tenant's database").isEmpty();
            assertThat(found.size()).as("rows in all tenant databases").isEqualTo(ROWS);
            List<Long> differing = expected.keySet().stream().filter(id -> !expected.get(id).equals(found.get(id))).limit(5).toList();
            assertThat(differing).as("rows that differ from Postgres").isEmpty();
            assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
        }
    }

    private static long written(TenantFiles tenants) {
        try {
            Long n = tenants.jdbc().queryForObject("SELECT COALESCE(sum(rows_written), 0) FROM pgturso_checkpoints", Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
