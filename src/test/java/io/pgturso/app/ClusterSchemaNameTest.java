package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** sync.cluster.schema is a name, quoted wherever it goes: a reserved word works like any other. */
@Timeout(120)
class ClusterSchemaNameTest {
    @TempDir
    Path dir;

    @Test
    void a_schema_named_like_a_reserved_word_holds_the_quartz_tables_and_the_schedules_run() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().update("INSERT INTO orders (id, updated_at) VALUES (1, now() - interval '1 hour')");
            sync.property("sync.schedule", "* * * * * ?").property("sync.cluster.enabled", "true")
                    .property("sync.cluster.schema", "user").property("sync.cluster.checkin-interval-ms", "1000");
            sync.table("orders", "table=orders", "cursor=updated_at");

            sync.start(true);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> sync.target().queryForObject("SELECT count(*) FROM orders", Long.class) == 1);

            assertThat(sync.pg().queryForObject("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'user'",
                    Long.class)).isEqualTo(11);
            assertThat(sync.pg().queryForList("SELECT trigger_name FROM \"user\".qrtz_triggers", String.class)).contains("orders");
        }
    }
}
