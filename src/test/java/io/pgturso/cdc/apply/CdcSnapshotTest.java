package io.pgturso.cdc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ComparisonResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The first copy reads the slot's own snapshot: what commits while it runs comes from the stream, once, with no gap. */
@Timeout(240)
class CdcSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void changes_committed_while_the_first_copy_runs_are_neither_missed_nor_applied_twice() throws Exception {
        String slot = CdcTesting.uniqueSlot();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL)");
            pg.update("INSERT INTO items SELECT g, 0 FROM generate_series(1, 30000) g");
            CdcTesting.streaming(sync, slot).table("items", "table=items", "mode=cdc", "batchSize=500");
            AtomicLong writes = new AtomicLong();
            AtomicLong nextId = new AtomicLong(100_000);
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
            Random random = new Random(7);
            writer.scheduleWithFixedDelay(() -> {
                int id = 1 + random.nextInt(30_000);
                switch (random.nextInt(3)) {
                    case 0 -> pg.update("UPDATE items SET n = n + 1 WHERE id = ?", id);
                    case 1 -> pg.update("DELETE FROM items WHERE id = ?", id);
                    default -> pg.update("INSERT INTO items VALUES (?, 1)", nextId.incrementAndGet());
                }
                writes.incrementAndGet();
            }, 0, 2, TimeUnit.MILLISECONDS);
            try {
                CdcTesting.startStreaming(sync);
                // the writer goes on through start-up, the copy and a while of streaming: a count, not a time, so a
                // loaded machine slows the test down instead of leaving it with too few writes
                long atReading = writes.get();
                await().atMost(Duration.ofSeconds(60)).until(() -> writes.get() >= atReading + 200);
            } finally {
                writer.shutdown();
                assertThat(writer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                ComparisonResult result = sync.compare("items");
                assertThat(result.isEqual()).as(result.toString()).isTrue();
            });
            sync.stop();
            CdcTesting.dropSlot(pg, slot);
        }
    }
}
