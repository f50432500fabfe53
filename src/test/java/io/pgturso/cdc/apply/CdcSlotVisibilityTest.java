package io.pgturso.cdc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
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
import org.springframework.jdbc.core.JdbcTemplate;

/** The slot never fills the disk unseen: its metrics, a warning when its WAL is unlimited, readiness when it is lost. */
@Timeout(300)
class CdcSlotVisibilityTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void metrics_show_the_slot_and_the_applied_changes_and_start_up_warns_when_its_wal_is_unlimited() throws Exception {
        String slot = CdcTesting.uniqueSlot();
        int port = freePort();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres());
                CapturedLogs logs = new CapturedLogs()) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            CdcTesting.streaming(sync, slot).table("orders", "table=orders", "mode=cdc")
                    .property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port));
            CdcTesting.startStreaming(sync);
            pg.update("INSERT INTO orders SELECT g, 'n' FROM generate_series(1, 50) g");
            pg.update("DELETE FROM orders WHERE id <= 10");

            String tag = "{slot=\"" + slot + "\"}";
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(port, "/observe/metrics").body())
                    .contains("pgturso_cdc_changes_applied_total" + tag + " 60.0")
                    .contains("pgturso_cdc_transactions_applied_total" + tag + " 2.0")
                    .contains("pgturso_cdc_reader" + tag + " 1.0")
                    .containsPattern("pgturso_cdc_slot_retained_wal_bytes\\{slot=\"" + slot + "\"} [0-9.E]+\\n")
                    .containsPattern("pgturso_cdc_slot_confirmed_lsn\\{slot=\"" + slot + "\"} [0-9.E]+\\n")
                    .containsPattern("pgturso_cdc_apply_lag_seconds\\{slot=\"" + slot + "\"} [0-9.E]+\\n")
                    .contains("pgturso_cdc_slot_invalidated" + tag + " 0.0"));
            assertThat(logs.text()).contains("max_slot_wal_keep_size is unlimited (-1): while the stream is stopped its slot "
                    + "keeps all WAL and can fill the disk; cap it with ALTER SYSTEM SET max_slot_wal_keep_size");
            sync.stop();
            CdcTesting.dropSlot(pg, slot);
        }
    }

    @Test
    void readiness_is_down_with_the_fix_when_postgres_invalidated_the_slot() throws Exception {
        String slot = CdcTesting.uniqueSlot();
        int port = freePort();
        try (LogicalPostgres.Restartable postgres = LogicalPostgres.dedicated(dir.resolve("pgdata"));
                TestTarget turso = TestTarget.turso(dir);
                SyncHarness sync = SyncHarness.create(dir, turso, postgres.server().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            CdcTesting.streaming(sync, slot).table("orders", "table=orders", "mode=cdc")
                    .property("sync.http.enabled", "true").property("sync.http.port", Integer.toString(port));
            CdcTesting.startStreaming(sync);
            assertThat(get(port, "/observe/health/ready").statusCode()).isEqualTo(200);

            // the target down: nothing is confirmed, so the slot holds its WAL until Postgres gives it up
            turso.server().stop();
            pg.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
            pg.queryForObject("SELECT pg_reload_conf()", Boolean.class);
            for (int i = 0; i < 4; i++) {
                pg.update("INSERT INTO orders VALUES (?, 'n')", i);
                pg.queryForObject("SELECT pg_switch_wal()::text", String.class);
            }
            pg.execute("CHECKPOINT");
            await().atMost(Duration.ofSeconds(60)).until(() -> "lost".equals(pg.queryForObject(
                    "SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?", String.class, slot)));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                HttpResponse<String> ready = get(port, "/observe/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("replication slot " + slot + " was invalidated").contains("cdc-uninstall");
            });
            assertThat(get(port, "/observe/metrics").body()).contains("pgturso_cdc_slot_invalidated{slot=\"" + slot + "\"} 1.0");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
