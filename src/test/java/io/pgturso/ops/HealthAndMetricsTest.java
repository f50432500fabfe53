package io.pgturso.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The health and Prometheus endpoints of a running sync, served by camel-main's management HTTP server. */
@Timeout(120)
class HealthAndMetricsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void health_is_up_after_a_pass_and_metrics_count_rows_per_table() throws Exception {
        int port = freePort();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, name text, deleted boolean NOT NULL DEFAULT false, "
                    + "updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at)");
            sync.pg().update("INSERT INTO orders (id, name) SELECT g, 'o' || g FROM generate_series(1, 250) g");
            sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=100", "softDelete=deleted");
            sync.property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port));
            sync.start(true);

            assertThat(sync.runOnce("orders")).isTrue();
            sync.pg().update("UPDATE orders SET deleted = true, updated_at = now() WHERE id <= 3");
            assertThat(sync.runOnce("orders")).isTrue();

            HttpResponse<String> health = get(port, "/observe/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("table:orders").contains("source").contains("target");

            HttpResponse<String> metrics = get(port, "/observe/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("pgturso_rows_written_total{table=\"orders\"} 250.0")
                    .contains("pgturso_rows_deleted_total{table=\"orders\"} 3.0")
                    .contains("pgturso_rows_dead_lettered_total{table=\"orders\"} 0.0")
                    .contains("pgturso_pass_duration_seconds_count{outcome=\"success\",table=\"orders\"} 2")
                    .contains("pgturso_lag_seconds{table=\"orders\"}")
                    .contains("pgturso_pending_rows{table=\"orders\"} 0.0")
                    .contains("pgturso_dead_letters_open{table=\"orders\"} 0.0")
                    .contains("pgturso_checkpoint_age_seconds{table=\"orders\"}")
                    .containsPattern("pgturso_statements_total\\{database=\"target\",outcome=\"ok\"} [1-9]");
        }
    }

    @Test
    void readiness_is_down_while_the_target_is_unreachable_and_a_table_whose_pass_failed_is_down() throws Exception {
        int port = freePort();
        try (TestTarget target = TestTarget.turso(dir); SyncHarness sync = SyncHarness.create(dir, target)) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO orders (id) SELECT g FROM generate_series(1, 10) g");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port));
            sync.start(true);
            assertThat(sync.runOnce("orders")).isTrue();
            assertThat(get(port, "/observe/health").statusCode()).isEqualTo(200);

            target.server().stop();
            assertThat(sync.runOnce("orders")).isFalse();

            HttpResponse<String> down = get(port, "/observe/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("last pass failed");
            assertThat(get(port, "/observe/health/ready").statusCode()).isEqualTo(503);
            assertThat(get(port, "/observe/metrics").body())
                    .containsPattern("pgturso_pass_retries_total\\{table=\"orders\"} [1-9]")
                    .contains("pgturso_pass_duration_seconds_count{outcome=\"failure\",table=\"orders\"} 1");
            assertThat(get(port, "/observe/health/live").statusCode()).as("liveness stays up: a restart would not help").isEqualTo(200);

            target.server().startAgain();
            assertThat(sync.runOnce("orders")).isTrue();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(port, "/observe/health").statusCode()).isEqualTo(200));
        }
    }

    @Test
    void a_table_is_down_when_its_lag_exceeds_the_limit_and_recorded_problems_show() throws Exception {
        int port = freePort();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port))
                    .property("sync.health.max-lag-ms", "1");
            sync.start(true);
            assertThat(sync.runOnce("orders")).isTrue();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(port, "/observe/health").body())
                    .contains("more than sync.health.max-lag-ms"));

            SyncHealth health = sync.app().camel().getRegistry().lookupByNameAndType("syncHealth", SyncHealth.class);
            health.problem("route-reload", "table-sync.camel.yaml line 3: bad indentation");
            assertThat(get(port, "/observe/health").body()).contains("table-sync.camel.yaml line 3: bad indentation");
            health.clear("route-reload");
            assertThat(get(port, "/observe/health").body()).doesNotContain("bad indentation");
        }
    }
}
