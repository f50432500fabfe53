package io.pgturso.ops;

import static io.pgturso.ops.HealthAndMetricsTest.freePort;
import static io.pgturso.ops.HealthAndMetricsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The outcome of the one-shot {@code verify} command, kept in the target and served by {@code run} at /observe/metrics. */
@Timeout(120)
class VerifyMetricsTest {

    @TempDir
    Path dir;

    @Test
    void run_serves_the_last_verify_outcome_of_an_equal_and_a_different_table() throws Exception {
        int port = freePort();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE TABLE notes (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().execute("CREATE INDEX ON notes (updated_at, id)");
            sync.pg().update("INSERT INTO orders (id) SELECT g FROM generate_series(1, 20) g");
            sync.pg().update("INSERT INTO notes (id) SELECT g FROM generate_series(1, 5) g");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.table("notes", "table=notes", "cursor=updated_at");
            assertThat(sync.cli("once").exitCode()).isZero();
            sync.target().update("DELETE FROM notes WHERE id IN (2, 3)");
            sync.target().update("INSERT INTO notes (id, updated_at) VALUES (99, '2024-01-01T00:00:00.000000Z')");
            Instant before = Instant.now().minusSeconds(1);
            assertThat(sync.cli("verify").exitCode()).isEqualTo(App.FAILED);

            sync.property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port));
            sync.start(true);
            // the gauges must outlive a garbage collection (a weakly held gauge then reads NaN)
            System.gc();
            String metrics = get(port, "/observe/metrics").body();

            assertThat(metrics)
                    .contains("pgturso_verify_last_outcome{outcome=\"equal\",table=\"orders\"} 1.0")
                    .contains("pgturso_verify_last_outcome{outcome=\"different\",table=\"orders\"} 0.0")
                    .contains("pgturso_verify_last_outcome{outcome=\"different\",table=\"notes\"} 1.0")
                    .contains("pgturso_verify_last_outcome{outcome=\"equal\",table=\"notes\"} 0.0")
                    .contains("pgturso_verify_last_differences{kind=\"missing\",table=\"notes\"} 2.0")
                    .contains("pgturso_verify_last_differences{kind=\"extra\",table=\"notes\"} 1.0")
                    .contains("pgturso_verify_last_differences{kind=\"changed\",table=\"notes\"} 0.0")
                    .contains("pgturso_verify_last_differences{kind=\"missing\",table=\"orders\"} 0.0");
            Matcher finished = Pattern.compile("pgturso_verify_last_run_timestamp_seconds\\{table=\"orders\"} (\\S+)").matcher(metrics);
            assertThat(finished.find()).as(metrics).isTrue();
            assertThat(Double.parseDouble(finished.group(1))).isBetween(before.getEpochSecond() * 1.0, Instant.now().getEpochSecond() + 1.0);
        }
    }

    @Test
    void a_table_never_verified_has_no_outcome_and_the_scrape_still_works() throws Exception {
        int port = freePort();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port));
            sync.start(true);

            String metrics = get(port, "/observe/metrics").body();

            assertThat(metrics)
                    .contains("pgturso_verify_last_outcome{outcome=\"equal\",table=\"orders\"} 0.0")
                    .contains("pgturso_verify_last_outcome{outcome=\"failed\",table=\"orders\"} 0.0")
                    .contains("pgturso_verify_last_run_timestamp_seconds{table=\"orders\"} NaN");
        }
    }
}
