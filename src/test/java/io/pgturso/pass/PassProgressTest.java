package io.pgturso.pass;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A long pass logs its progress: rows so far, rate, rows pending and the time left. */
@Timeout(60)
class PassProgressTest {
    @TempDir
    Path dir;

    @Test
    void the_line_gives_rows_rate_pending_and_time_left() {
        assertThat(PassProgress.line("orders", 120_000, 12_000, 1_000_000))
                .isEqualTo("orders: 120000 rows so far in PT12S (10000 rows/s), at least 880000 pending, about PT1M28S left");
        assertThat(PassProgress.line("orders", 0, 0, 10)).isEqualTo("orders: 0 rows so far in PT0S (0 rows/s), 10 pending, unknown left");
    }

    @Test
    void a_pass_longer_than_the_interval_logs_progress_lines() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir)); CapturedLogs logs = new CapturedLogs()) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO orders (id) SELECT g FROM generate_series(1, 500) g");
            sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=50");
            sync.property("sync.progress.interval-ms", "1");
            sync.start();

            assertThat(sync.runOnce("orders")).isTrue();

            assertThat(logs.text()).containsPattern("orders: \\d+ rows so far in PT\\d+S \\(\\d+ rows/s\\), \\d+ pending, (about PT[\\dMS.]+|unknown) left");
        }
    }
}
