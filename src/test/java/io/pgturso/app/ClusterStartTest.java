package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With clustering on, a process creates Quartz's tables in their schema on first start, syncs through them and stops cleanly. */
@Timeout(120)
class ClusterStartTest {
    @TempDir
    Path dir;

    @Test
    void the_first_start_creates_the_quartz_tables_and_the_schedules_run_from_them() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir)); CapturedLogs logs = new CapturedLogs()) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().update("INSERT INTO orders (id, updated_at) VALUES (1, now() - interval '1 hour')");
            sync.property("sync.schedule", "* * * * * ?").property("sync.cluster.enabled", "true")
                    .property("sync.cluster.schema", "sync_cluster").property("sync.cluster.checkin-interval-ms", "1000");
            sync.table("orders", "table=orders", "cursor=updated_at");

            sync.start(true);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> sync.target().queryForObject("SELECT count(*) FROM orders", Long.class) == 1);

            assertThat(sync.pg().queryForObject("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'sync_cluster'",
                    Long.class)).isEqualTo(11);
            assertThat(sync.pg().queryForList("SELECT trigger_group || '/' || trigger_name FROM sync_cluster.qrtz_triggers", String.class))
                    .contains("table-sync/orders");
            assertThat(sync.pg().queryForObject("SELECT count(*) FROM sync_cluster.qrtz_scheduler_state", Long.class)).isEqualTo(1);
            assertThat(logs.text()).contains("Cluster: schedules shared through Quartz's tables in schema sync_cluster")
                    .contains("(created now)");
            sync.stop();

            sync.pg().update("INSERT INTO orders (id) VALUES (2)");
            sync.start(true);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> sync.target().queryForObject("SELECT count(*) FROM orders", Long.class) == 2);
            sync.stop();
            assertThat(logs.text()).as("the second start finds the tables").containsOnlyOnce("(created now)");
            assertThat(logs.text()).doesNotContain("ERROR").doesNotContain("Exception");
        }
    }

    @Test
    void once_and_plan_never_join_the_cluster() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.property("sync.cluster.enabled", "true").property("sync.cluster.schema", "not_joined");
            sync.table("orders", "table=orders", "cursor=updated_at");

            assertThat(sync.cli("once").exitCode()).isZero();
            assertThat(sync.cli("plan").exitCode()).isZero();

            assertThat(sync.pg().queryForObject("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'not_joined'",
                    Long.class)).isZero();
        }
    }

    @Test
    void a_start_that_fails_its_check_creates_no_quartz_tables() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.property("sync.cluster.enabled", "true").property("sync.cluster.schema", "never_made");
            sync.table("ghost", "table=no_such_table", "cursor=updated_at");

            assertThat(sync.cli("run").exitCode()).isEqualTo(2);

            assertThat(sync.pg().queryForObject("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'never_made'",
                    Long.class)).isZero();
        }
    }
}
