package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table's pass falling due while a reload has its route removed waits for the route to be back, and the table keeps
 * its schedule. Before Quartz was held during reloads, the pass fired into the gap and made a stray endpoint under the
 * route's trigger key; when that overlapped the returning route's own, the route lost its schedule (seen once in CI:
 * nothing synced the table any more).
 */
@Timeout(120)
class ReloadScheduleTest {
    @TempDir
    Path dir;

    @Test
    void a_pass_due_while_its_route_is_reloaded_leaves_the_table_scheduled() throws Exception {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir)); CapturedLogs logs = new CapturedLogs()) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.property("sync.schedule", "* * * * * ?").property("sync.horizon.enabled", "false");
            ModelCamelContext camel = (ModelCamelContext) sync.start(true).camel();
            sync.pg().update("INSERT INTO orders (id) VALUES (1)");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> targetRows(sync) == 1);

            // the reload keeps the route removed until its next pass (every second) has fallen due
            camel.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.RouteRemovedEvent removed
                            && removed.getRoute().getRouteId().equals("orders")) {
                        long due = (System.currentTimeMillis() / 1000 + 1) * 1000 + 200;
                        await().atMost(Duration.ofSeconds(3)).until(() -> System.currentTimeMillis() >= due);
                    }
                }
            });
            Path template = dir.resolve("routes/table-sync.camel.yaml");
            Files.writeString(template, Files.readString(template).replace("method: endPass", "method: endPass\n"
                    + "          - setVariable:\n              name: reloaded\n              constant:\n                expression: edited"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(camel.getRouteDefinition("orders")).isNotNull();
                assertThat(camel.getRouteDefinition("orders").toString()).contains("reloaded");
            });

            sync.pg().update("INSERT INTO orders (id) VALUES (2)");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> targetRows(sync) == 2);
            assertThat(logs.text()).as("no pass fired while its route was away").doesNotContain("Cannot find existing QuartzEndpoint");
        }
    }

    private static int targetRows(SyncHarness sync) {
        return sync.target().queryForObject("SELECT count(*) FROM orders", Integer.class);
    }
}
