package io.pgturso.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestPostgres;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ComparisonResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Other connections insert, update and delete at a steady rate (some in transactions held open across passes) while the
 * sync runs on its schedule against a libSQL server; once they stop and one more pass and reconciliation run, verify
 * finds the target equal to the source.
 */
class ConcurrentWritersTest {
    private static final AtomicLong DELETES = new AtomicLong();

    @TempDir
    Path dir;

    @Test
    void writers_for_ten_seconds_then_one_more_pass_and_the_target_equals_the_source() throws Exception {
        writeWhileSyncing(Duration.ofSeconds(10));
    }

    @Test
    @Tag("reliability")
    void writers_for_a_minute_then_one_more_pass_and_the_target_equals_the_source() throws Exception {
        writeWhileSyncing(Duration.ofMinutes(1));
    }

    private void writeWhileSyncing(Duration writing) throws Exception {
        try (TestTarget turso = TestTarget.turso(dir); SyncHarness sync = SyncHarness.create(dir, turso)) {
            sync.pg().execute("""
                    CREATE TABLE items (id bigserial PRIMARY KEY, payload text, n int, updated_at timestamptz NOT NULL DEFAULT now());
                    CREATE INDEX ON items (updated_at, id);
                    CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
                    CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
                    INSERT INTO items (payload, n) SELECT 'seed ' || g, g FROM generate_series(1, 2000) g;""");
            sync.property("sync.schedule", "* * * * * ?").property("sync.reconcile.enabled", "true")
                    .property("sync.reconcile.schedule", "0/2 * * * * ?").property("sync.reconcile.chunk-size", "500")
                    .property("sync.reconcile.max-chunks", "1000");
            sync.table("items", "table=items", "cursor=updated_at", "batchSize=500");
            sync.start(true);

            AtomicLong operations = new AtomicLong();
            ScheduledExecutorService writers = Executors.newScheduledThreadPool(4);
            for (int w = 0; w < 3; w++) {
                Connection c = source(sync);
                Random random = new Random(w);
                writers.scheduleAtFixedRate(() -> writeOne(c, random, operations), 0, 5, TimeUnit.MILLISECONDS);
            }
            // a transaction that inserts and then stays open for 1.5 s, over and over: late commits
            writers.scheduleAtFixedRate(() -> lateCommit(sync, writers, operations), 0, 700, TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + writing.toNanos();
            await().atMost(writing.plusSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> System.nanoTime() >= deadline);
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(operations.get()).as("writers kept writing").isGreaterThan(writing.toSeconds() * 100);
            assertThat(DELETES.get()).as("rows were deleted").isGreaterThan(writing.toSeconds() * 5);
            sync.stop();
            sync.start(false);
            assertThat(sync.runOnce("items")).isTrue();
            assertThat(sync.runOnce("delete-reconciliation")).isTrue();

            ComparisonResult result = sync.compare("items");
            assertThat(result.isEqual()).as(result.toString()).isTrue();
            assertThat(result.sourceRows()).isGreaterThan(2000);
        }
    }

    private static void writeOne(Connection c, Random random, AtomicLong operations) {
        try {
            int op = random.nextInt(100);
            String sql = op < 50 ? "INSERT INTO items (payload, n) VALUES ('w', ?)"
                    : op < 85 ? "UPDATE items SET n = n + 1, payload = 'u' WHERE id = (SELECT id FROM items WHERE id >= ? ORDER BY id LIMIT 1)"
                    : "DELETE FROM items WHERE id = (SELECT id FROM items WHERE id >= ? ORDER BY id LIMIT 1)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, random.nextInt(4000));
                if (ps.executeUpdate() > 0 && op >= 85) {
                    DELETES.incrementAndGet();
                }
            }
            operations.incrementAndGet();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void lateCommit(SyncHarness sync, ScheduledExecutorService writers, AtomicLong operations) {
        try {
            Connection c = source(sync);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO items (payload, n) VALUES ('late', 0)")) {
                ps.executeUpdate();
            }
            operations.incrementAndGet();
            writers.schedule(() -> {
                try (c) {
                    c.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, 1500, TimeUnit.MILLISECONDS);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection source(SyncHarness sync) {
        try {
            return DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
