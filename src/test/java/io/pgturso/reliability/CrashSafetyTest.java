package io.pgturso.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncProcess;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ComparisonResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** kill -9 at any moment of a backfill loses and duplicates nothing: the sync resumes and the copy equals the source. */
class CrashSafetyTest {
    private static final int ROWS = 200_000;

    @TempDir
    Path dir;

    @Test
    void one_kill_during_a_backfill_loses_and_duplicates_nothing() throws Exception {
        backfillSurvivesKills(1, 1);
    }

    @Test
    void one_kill_during_a_backfill_to_a_libsql_server_loses_and_duplicates_nothing() throws Exception {
        try (TestTarget turso = TestTarget.turso(dir)) {
            backfillSurvivesKills(turso, 1, 2);
        }
    }

    @Test
    @Tag("reliability")
    void ten_kills_at_random_moments_during_a_backfill_lose_and_duplicate_nothing() throws Exception {
        backfillSurvivesKills(TestTarget.file(dir), 10, System.nanoTime());
    }

    @Test
    @Tag("reliability")
    void ten_kills_at_random_moments_during_a_backfill_to_a_libsql_server_lose_and_duplicate_nothing() throws Exception {
        try (TestTarget turso = TestTarget.turso(dir)) {
            backfillSurvivesKills(turso, 10, System.nanoTime());
        }
    }

    private void backfillSurvivesKills(int kills, long seed) throws Exception {
        backfillSurvivesKills(TestTarget.file(dir), kills, seed);
    }

    private void backfillSurvivesKills(TestTarget target, int kills, long seed) throws Exception {
        Random random = new Random(seed);
        Path log = dir.resolve("sync.log");
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, payload text, amount numeric(12, 2), updated_at timestamptz NOT NULL)");
            pg.execute("CREATE INDEX ON orders (updated_at, id)");
            // groups of 7 rows share a cursor value, so kills also land inside ties
            pg.update("INSERT INTO orders SELECT g, 'row ' || g || repeat('.', g % 50), (g % 10000) / 100.0, "
                    + "'2024-01-01'::timestamptz + (g / 7) * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
            sync.property("sync.schedule", "* * * * * ?");
            sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=2000");
            sync.writeConfig();

            for (int i = 0; i < kills; i++) {
                long before = written(sync);
                long killAt = before + 1 + random.nextInt(ROWS / (kills + 1));
                try (SyncProcess process = SyncProcess.start(dir, log, Map.of(), "run")) {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                            .until(() -> !process.isAlive() || written(sync) >= killAt);
                    assertThat(process.isAlive()).as("the sync died by itself; see " + Files.readString(log)).isTrue();
                    process.kill();
                }
            }
            try (SyncProcess finish = SyncProcess.start(dir, log, Map.of(), "once")) {
                assertThat(finish.waitFor(300)).as(Files.readString(log)).isZero();
            }

            List<Map<String, Object>> source = pg.queryForList("SELECT id, payload, CAST(amount AS text) AS amount, "
                    + "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS updated_at FROM orders ORDER BY id");
            List<Map<String, Object>> copy = sync.target().queryForList("SELECT id, payload, amount, updated_at FROM orders ORDER BY id");
            assertThat(copy).hasSize(ROWS);
            List<Map<String, Object>> expected = normalize(source);
            List<Map<String, Object>> actual = normalize(copy);
            List<Object> differing = java.util.stream.IntStream.range(0, ROWS).filter(i -> !expected.get(i).equals(actual.get(i)))
                    .limit(5).mapToObj(i -> expected.get(i) + " != " + actual.get(i)).map(Object.class::cast).toList();
            assertThat(differing).as("rows that differ between source and target").isEmpty();
            assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
            sync.start();
            ComparisonResult verify = sync.compare("orders");
            assertThat(verify.isEqual()).as(verify.toString()).isTrue();
        }
    }

    private static List<Map<String, Object>> normalize(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            r.forEach((k, v) -> m.put(k, v instanceof Number n ? (Object) n.longValue() : v));
            return m;
        }).toList();
    }

    private static long written(SyncHarness sync) {
        try {
            Long n = sync.target().queryForObject("SELECT COALESCE(sum(rows_written), 0) FROM pgturso_checkpoints", Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
