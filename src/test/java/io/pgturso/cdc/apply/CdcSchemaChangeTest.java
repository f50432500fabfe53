package io.pgturso.cdc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ComparisonResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** A streamed table whose schema changes in Postgres follows the polling rules: added, re-copied, stopped, reported. */
@Timeout(240)
class CdcSchemaChangeTest {
    @TempDir
    Path dir;
    SyncHarness sync;
    JdbcTemplate pg;
    String slot;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres());
        pg = sync.pg();
        slot = CdcTesting.uniqueSlot();
        CdcTesting.streaming(sync, slot);
    }

    @AfterEach
    void tearDown() {
        sync.close();
        CdcTesting.dropSlot(pg, slot);
    }

    @Test
    void a_column_added_in_postgres_is_added_and_the_rows_it_had_get_their_value_from_a_new_copy() {
        pg.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
        pg.update("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 200) g");
        sync.table("items", "table=items", "mode=cdc");
        CdcTesting.startStreaming(sync);

        pg.execute("ALTER TABLE items ADD COLUMN colour text NOT NULL DEFAULT 'grey'");
        pg.update("INSERT INTO items VALUES (201, 'new', 'red')");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(
                "SELECT count(*) FROM items WHERE colour = 'grey'")).isEqualTo(200));
        assertThat(sync.target().queryForObject("SELECT colour FROM items WHERE id = 201", String.class)).isEqualTo("red");
        pg.update("UPDATE items SET colour = 'blue' WHERE id = 7");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM items WHERE colour = 'blue'") == 1);
        assertEqual("items");
    }

    @Test
    void a_retyped_column_stops_the_table_naming_resync_which_copies_it_anew_at_the_next_start() {
        pg.execute("CREATE TABLE items (id int PRIMARY KEY, code int)");
        pg.update("INSERT INTO items SELECT g, g FROM generate_series(1, 50) g");
        pg.execute("CREATE TABLE other (id int PRIMARY KEY)");
        sync.table("items", "table=items", "mode=cdc").table("other", "table=other", "mode=cdc");
        CdcTesting.startStreaming(sync);

        pg.execute("ALTER TABLE items ALTER COLUMN code TYPE text USING 'c' || code");
        pg.update("UPDATE items SET code = 'changed' WHERE id = 1");
        pg.update("INSERT INTO other VALUES (1)");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM other") == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> sync.target().queryForObject(
                "SELECT stopped FROM pgturso_cdc_tables WHERE sync_table = 'items'", String.class) != null);
        assertThat(sync.target().queryForObject("SELECT stopped FROM pgturso_cdc_tables WHERE sync_table = 'items'", String.class))
                .contains("resync --table items");
        assertThat(sync.target().queryForObject("SELECT code FROM items WHERE id = 1", String.class)).isEqualTo("1");

        SyncHarness.CliResult whileRunning = sync.cli("resync", "--table", "items");
        assertThat(whileRunning.exitCode()).isEqualTo(2);
        assertThat(whileRunning.err()).contains("stop the sync, then run resync --table again");

        sync.stop();
        SyncHarness.CliResult resync = sync.cli("resync", "--table", "items");
        assertThat(resync.exitCode()).as(resync.err()).isZero();
        assertThat(resync.out()).contains("target table items rebuilt").contains("the next start of the sync copies it anew");
        CdcTesting.startStreaming(sync);
        await().atMost(Duration.ofSeconds(60)).until(() -> "changed".equals(sync.target().queryForObject(
                "SELECT code FROM items WHERE id = 1", String.class)));
        pg.update("UPDATE items SET code = 'again' WHERE id = 2");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM items WHERE code = 'again'") == 1);
        assertEqual("items");
    }

    @Test
    void a_table_added_later_is_copied_from_a_snapshot_of_its_own_while_the_others_stream() {
        pg.execute("CREATE TABLE first (id int PRIMARY KEY, n int)");
        pg.execute("CREATE TABLE second (id int PRIMARY KEY, n int)");
        pg.update("INSERT INTO second SELECT g, g FROM generate_series(1, 3000) g");
        sync.table("first", "table=first", "mode=cdc");
        CdcTesting.startStreaming(sync);
        pg.update("INSERT INTO first VALUES (1, 1)");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM first") == 1);
        sync.stop();

        sync.table("second", "table=second", "mode=cdc", "batchSize=500");
        CdcTesting.startStreaming(sync);
        pg.update("INSERT INTO first VALUES (2, 2)");
        pg.update("UPDATE second SET n = -1 WHERE id = 3000");
        pg.update("DELETE FROM second WHERE id = 1");
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM second WHERE n = -1") == 1
                && count("SELECT count(*) FROM second") == 2999 && count("SELECT count(*) FROM first") == 2);
        assertEqual("first");
        assertEqual("second");
    }

    @Test
    void a_streamed_table_dropped_in_postgres_makes_readiness_down_naming_it() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        pg.execute("CREATE TABLE items (id int PRIMARY KEY)");
        sync.table("items", "table=items", "mode=cdc").property("sync.http.enabled", "true")
                .property("sync.http.port", Integer.toString(port));
        CdcTesting.startStreaming(sync);

        pg.execute("DROP TABLE items");
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + port + "/observe/health/ready");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("items: ");
        });
    }

    private void assertEqual(String table) {
        ComparisonResult result = sync.compare(table);
        assertThat(result.isEqual()).as(result.toString()).isTrue();
    }

    private long count(String sql) {
        try {
            return sync.target().queryForObject(sql, Long.class);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
