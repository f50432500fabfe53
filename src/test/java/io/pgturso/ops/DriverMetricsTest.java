package io.pgturso.ops;

import static io.pgturso.ops.HealthAndMetricsTest.freePort;
import static io.pgturso.ops.HealthAndMetricsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The libSQL driver's requests, retries and failures, counted by kind at /observe/metrics. */
@Timeout(120)
class DriverMetricsTest {

    @TempDir
    Path dir;

    @Test
    void a_429_from_the_target_shows_as_a_failed_request_and_a_retry() throws Exception {
        int port = freePort();
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (TestTarget target = TestTarget.libsqlServer(dir, s -> {
                server.set(s);
                return s;
            });
             SyncHarness sync = SyncHarness.create(dir, target)) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at)");
            sync.pg().update("INSERT INTO orders (id) SELECT g FROM generate_series(1, 20) g");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port));
            sync.start(true);
            assertThat(sync.runOnce("orders")).isTrue();

            server.get().inject(LibsqlTestServer.Fault.statusBefore(429));
            sync.pg().update("INSERT INTO orders (id) SELECT g FROM generate_series(21, 30) g");
            assertThat(sync.runOnce("orders")).isTrue();
            assertThat(target.jdbc().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(30L);

            String metrics = get(port, "/observe/metrics").body();
            assertThat(metrics)
                    .containsPattern("pgturso_driver_requests_total\\{outcome=\"ok\"} [1-9]")
                    .contains("pgturso_driver_requests_total{outcome=\"error\"} 1.0")
                    .contains("pgturso_driver_retries_total{kind=\"http_429\"} 1.0")
                    .contains("pgturso_driver_errors_total{kind=\"http_429\"} 1.0");
        }
    }

    @Test
    void a_file_target_has_no_driver_metrics() throws Exception {
        int port = freePort();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at)");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port));
            sync.start(true);
            assertThat(sync.runOnce("orders")).isTrue();
            assertThat(get(port, "/observe/metrics").body()).contains("pgturso_rows_written_total")
                    .doesNotContain("pgturso_driver_");
        }
    }
}
