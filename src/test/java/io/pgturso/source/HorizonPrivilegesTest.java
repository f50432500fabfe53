package io.pgturso.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A role that cannot see other sessions' transactions falls back to a fixed lag, and says so at start-up. */
class HorizonPrivilegesTest {
    @TempDir
    Path dir;

    @Test
    void without_pg_read_all_stats_rows_wait_for_the_fallback_lag() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir)); CapturedLogs logs = new CapturedLogs()) {
            String role = "reader_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE ROLE " + role + " LOGIN PASSWORD 'reader'");
            sync.pg().execute("GRANT SELECT ON orders TO " + role);
            sync.property("sync.source.user", role).property("sync.source.password", "reader")
                    .property("sync.horizon.fallback-lag-ms", "2000");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.start();
            assertThat(logs.text()).contains("cannot see other sessions' transactions");

            sync.pg().update("INSERT INTO orders (id) VALUES (1)");
            assertThat(sync.runOnce("orders")).isTrue();
            assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).as("too recent to be safe").isZero();

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                sync.runOnce("orders");
                return sync.target().queryForObject("SELECT count(*) FROM orders", Long.class) == 1;
            });
        }
    }
}
