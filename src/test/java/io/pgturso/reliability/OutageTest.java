package io.pgturso.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.RestartablePostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestPostgres;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outages in the middle of a pass: it fails cleanly, the checkpoint never passes unwritten rows, and everything arrives after. */
class OutageTest {
    private static final int ROWS = 100_000;

    @TempDir
    Path dir;

    @Test
    void postgres_restarted_in_the_middle_of_a_pass_and_everything_arrives_without_manual_action() {
        try (RestartablePostgres postgres = TestPostgres.dedicated(dir.resolve("pgdata"));
                SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), postgres.asTestPostgres());
                CapturedLogs logs = new CapturedLogs()) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, payload text, updated_at timestamptz NOT NULL)");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().update("INSERT INTO orders SELECT g, 'row ' || g, '2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
            sync.property("sync.schedule", "* * * * * ?").property("sync.retry.max-attempts", "2");
            sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=500");
            sync.start(true);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> written(sync) > 0);
            postgres.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> logs.text().contains("orders: pass failed"));
            long writtenDuringOutage = written(sync);
            assertThat(targetRows(sync)).as("the checkpoint never counts rows that are not in the target").isGreaterThanOrEqualTo(writtenDuringOutage);
            assertThat(writtenDuringOutage).as("the outage hit the middle of the backfill").isLessThan(ROWS);
            postgres.start();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> targetRows(sync) == ROWS);
            assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
            assertThat(sync.target().queryForObject("SELECT max(id) FROM orders", Long.class)).isEqualTo(ROWS);
        }
    }

    @Test
    void target_server_stopped_for_30_seconds_in_the_middle_of_a_pass_and_everything_arrives_after() {
        try (TestTarget turso = TestTarget.turso(dir); SyncHarness sync = SyncHarness.create(dir, turso);
                CapturedLogs logs = new CapturedLogs()) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, payload text, updated_at timestamptz NOT NULL)");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().update("INSERT INTO orders SELECT g, 'row ' || g, '2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
            sync.property("sync.schedule", "* * * * * ?").property("sync.retry.max-attempts", "2");
            sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=500");
            sync.start(true);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> written(sync) > 0);
            turso.server().stop();
            Instant stopped = Instant.now();
            await().atMost(Duration.ofSeconds(90)).until(() -> logs.text().contains("orders: pass failed"));
            // keep it down for 30 s in all, while passes keep failing
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Duration.between(stopped, Instant.now()).toSeconds() >= 30);
            turso.server().startAgain();
            long writtenBefore = written(sync);
            assertThat(targetRows(sync)).as("the checkpoint never counts rows that are not in the target").isGreaterThanOrEqualTo(writtenBefore);
            assertThat(writtenBefore).as("the outage hit the middle of the backfill").isLessThan(ROWS);

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> targetRows(sync) == ROWS);
            assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
            assertThat(sync.target().queryForObject("SELECT count(DISTINCT id) FROM orders", Long.class)).isEqualTo(ROWS);
        }
    }

    private static long written(SyncHarness sync) {
        try {
            Long n = sync.target().queryForObject("SELECT COALESCE(sum(rows_written), 0) FROM pgturso_checkpoints", Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long targetRows(SyncHarness sync) {
        try {
            return sync.target().queryForObject("SELECT count(*) FROM orders", Long.class);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
