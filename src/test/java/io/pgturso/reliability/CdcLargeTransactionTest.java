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
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** A transaction larger than memory (a million rows inserted, then updated, each in one statement) under -Xmx256m. */
@Tag("reliability")
class CdcLargeTransactionTest {
    private static final int ROWS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(1200)
    void a_million_row_transaction_is_applied_in_parts_within_a_256_mb_heap() throws Exception {
        String slot = CdcTesting.uniqueSlot();
        Path log = dir.resolve("sync.log");
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL, pad text)");
            CdcTesting.streaming(sync, slot).table("big", "table=big", "mode=cdc");
            sync.writeConfig();
            try (SyncProcess process = SyncProcess.start("256m", dir, log, Map.of(), "run")) {
                await().atMost(Duration.ofSeconds(180)).until(() -> Files.readString(log).contains("Streaming slot " + slot));
                pg.update("INSERT INTO big SELECT g, 0, repeat('x', 100) FROM generate_series(1, " + ROWS + ") g");
                pg.update("UPDATE big SET v = 1");
                long start = System.nanoTime();
                await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> !process.isAlive() || count(sync, "SELECT count(*) FROM big WHERE v = 1") == ROWS);
                assertThat(process.isAlive()).as("the sync died: %s", tail(log)).isTrue();
                System.out.printf("cdc: %,d rows inserted and %,d updated, in two transactions, applied in %.0f s under -Xmx256m%n",
                        ROWS, ROWS, (System.nanoTime() - start) / 1e9);
            } finally {
                CdcTesting.dropSlot(pg, slot);
            }
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
            assertThat(count(sync, "SELECT count(*) FROM big")).isEqualTo(ROWS);
        }
    }

    private static String tail(Path log) throws java.io.IOException {
        String text = Files.readString(log);
        return text.substring(Math.max(0, text.length() - 4000));
    }

    private static long count(SyncHarness sync, String sql) {
        try {
            return sync.target().queryForObject(sql, Long.class);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
