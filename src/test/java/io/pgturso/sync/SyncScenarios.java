package io.pgturso.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.target.TargetSql;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import io.pgturso.testing.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** End-to-end behaviour of the sync through camel-main and the real route files, written once for every target. */
abstract class SyncScenarios {
    @TempDir
    Path dir;
    TestTarget target;
    SyncHarness sync;
    JdbcTemplate pg;

    /** The target under test, created in {@code dir}. */
    abstract TestTarget newTarget(Path dir);

    @BeforeEach
    void setUp() {
        target = newTarget(dir);
        sync = SyncHarness.create(dir, target);
        pg = sync.pg();
    }

    @AfterEach
    void tearDown() {
        sync.close();
        target.close();
    }

    private void ordersTable() {
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
    }

    private long checkpointRows(String table) {
        return sync.target().queryForObject("SELECT rows_written FROM pgturso_checkpoints WHERE sync_table = ?", Long.class, table);
    }

    private long count(String table) {
        return sync.target().queryForObject("SELECT count(*) FROM \"" + table + "\"", Long.class);
    }

    @Test
    void first_sync_copies_every_row_with_faithful_types() {
        pg.execute("CREATE TYPE status AS ENUM ('new', 'shipped')");
        pg.execute("""
                CREATE TABLE items (id bigint PRIMARY KEY, name text, price numeric(16, 4), qty int, ratio float8,
                  active boolean, day date, at_local timestamp, updated_at timestamptz NOT NULL, tags text[], doc jsonb,
                  uid uuid, data bytea, state status, small smallint)""");
        pg.update("""
                INSERT INTO items VALUES (1, 'héllo ✓', 12.5000, 3, 0.1, true, '2024-02-29', '2024-05-01 10:00:00.5',
                  '2024-05-01 12:00:00.123456+02', '{a,"b c"}', '{"k": [1, 2.50]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                  '\\x00ff10', 'shipped', -32768)""");
        pg.update("INSERT INTO items (id, updated_at) VALUES (2, '2024-05-01 10:00:00+00')");
        pg.update("INSERT INTO items (id, price, qty, updated_at) VALUES (3, 123456789.1234, 9223372, '2024-05-01 10:00:00+00')");
        sync.table("items", "table=items", "cursor=updated_at");
        sync.start();

        assertThat(sync.runOnce("items")).isTrue();

        Map<String, Object> row = sync.target().queryForMap("SELECT * FROM items WHERE id = 1");
        assertThat(row.get("name")).isEqualTo("héllo ✓");
        assertThat(row.get("price")).isEqualTo("12.5000");
        assertThat(((Number) row.get("qty")).longValue()).isEqualTo(3L);
        assertThat(((Number) row.get("ratio")).doubleValue()).isEqualTo(0.1);
        assertThat(((Number) row.get("active")).intValue()).isEqualTo(1);
        assertThat(row.get("day")).isEqualTo("2024-02-29");
        assertThat(row.get("at_local")).isEqualTo("2024-05-01T10:00:00.500000");
        assertThat(row.get("updated_at")).isEqualTo("2024-05-01T10:00:00.123456Z");
        assertThat(row.get("tags")).isEqualTo("[\"a\",\"b c\"]");
        assertThat(row.get("doc")).isEqualTo("{\"k\": [1, 2.50]}");
        assertThat(row.get("uid")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat((byte[]) row.get("data")).containsExactly(0x00, 0xff, 0x10);
        assertThat(row.get("state")).isEqualTo("shipped");
        assertThat(((Number) row.get("small")).longValue()).isEqualTo(-32768L);
        assertThat(sync.target().queryForList("SELECT typeof(price), typeof(qty), typeof(ratio), typeof(data), typeof(active) FROM items WHERE id = 1").get(0))
                .containsValues("text", "integer", "real", "blob", "integer");
        assertThat(sync.target().queryForMap("SELECT * FROM items WHERE id = 2")).containsEntry("name", null).containsEntry("price", null);
        assertThat(sync.target().queryForObject("SELECT price FROM items WHERE id = 3", String.class)).isEqualTo("123456789.1234");
        assertThat(count("items")).isEqualTo(3);
    }

    @Test
    void incremental_pass_copies_only_changed_rows_and_applies_updates() {
        ordersTable();
        pg.update("INSERT INTO orders (id, name, updated_at) SELECT g, 'order ' || g, '2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, 50) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=20");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        assertThat(count("orders")).isEqualTo(50);

        pg.update("UPDATE orders SET name = 'changed', updated_at = now() WHERE id = 7");
        pg.update("INSERT INTO orders (id, name) VALUES (51, 'new')");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(sync.target().queryForObject("SELECT name FROM orders WHERE id = 7", String.class)).isEqualTo("changed");
        assertThat(sync.target().queryForObject("SELECT name FROM orders WHERE id = 51", String.class)).isEqualTo("new");
        assertThat(checkpointRows("orders")).isEqualTo(52);
        assertThat(sync.runOnce("orders")).isTrue();
        assertThat(checkpointRows("orders")).as("a pass with nothing changed writes nothing").isEqualTo(52);
    }

    @Test
    void rows_sharing_a_cursor_value_are_neither_lost_nor_read_twice() {
        ordersTable();
        pg.update("INSERT INTO orders (id, name, updated_at) SELECT g, 'same', '2024-01-01 00:00:00+00' FROM generate_series(1, 7) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=2");
        sync.start();

        assertThat(sync.runOnce("orders")).isTrue();
        pg.update("INSERT INTO orders (id, name, updated_at) VALUES (8, 'same', '2024-01-01 00:00:00+00'), (9, 'later', '2024-01-01 00:00:01+00')");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(sync.target().queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(checkpointRows("orders")).isEqualTo(9);
    }

    @Test
    void restart_resumes_from_the_checkpoint() {
        ordersTable();
        pg.update("INSERT INTO orders (id, name, updated_at) SELECT g, 'o', '2024-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 10) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=3");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        sync.stop();

        pg.update("INSERT INTO orders (id, name) VALUES (11, 'after restart'), (12, 'after restart')");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(count("orders")).isEqualTo(12);
        assertThat(checkpointRows("orders")).as("only the two new rows were read after the restart").isEqualTo(12);
    }

    @Test
    void poison_rows_are_dead_lettered_while_the_rest_of_their_page_lands() {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, label text, value float8, updated_at timestamptz NOT NULL)");
        pg.update("INSERT INTO readings SELECT g, 'ok', g, '2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, 6) g");
        pg.update("UPDATE readings SET value = 'NaN' WHERE id = 2");
        pg.update("UPDATE readings SET label = 'rejected by target' WHERE id = 5");
        // the target refuses one row: a constraint the Postgres table does not have
        sync.target().execute("CREATE TABLE readings (id INTEGER NOT NULL, label TEXT CHECK (label <> 'rejected by target'), value REAL, updated_at TEXT, PRIMARY KEY (id))");
        sync.table("readings", "table=readings", "cursor=updated_at");
        sync.start();

        assertThat(sync.runOnce("readings")).isTrue();

        assertThat(sync.target().queryForList("SELECT id FROM readings ORDER BY id", Long.class)).containsExactly(1L, 3L, 4L, 6L);
        List<Map<String, Object>> letters = sync.target().queryForList("SELECT row_key, stage, error, attempts, row_json FROM pgturso_dead_letters ORDER BY row_key");
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0)).containsEntry("row_key", "{\"id\":\"2\"}").containsEntry("stage", "transform");
        assertThat(letters.get(0).get("error").toString()).contains("value").contains("NaN");
        assertThat(letters.get(1)).containsEntry("row_key", "{\"id\":\"5\"}").containsEntry("stage", "write");
        assertThat(letters.get(1).get("error").toString()).containsIgnoringCase("constraint");
        assertThat(letters.get(1).get("row_json").toString()).contains("rejected by target");
        assertThat(sync.target().queryForObject("SELECT position FROM pgturso_checkpoints WHERE sync_table = 'readings'", String.class))
                .as("the checkpoint moved past the dead-lettered rows").contains("\"6\"");

        pg.update("UPDATE readings SET value = 2, updated_at = now() WHERE id = 2");
        assertThat(sync.runOnce("readings")).isTrue();
        assertThat(sync.target().queryForList("SELECT row_key FROM pgturso_dead_letters", String.class))
                .as("a dead-lettered row that syncs after a change closes its dead letter").containsExactly("{\"id\":\"5\"}");
    }

    @Test
    void replay_writes_dead_letters_once_the_cause_is_fixed_and_never_duplicates_them() {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, value float8, updated_at timestamptz NOT NULL)");
        pg.update("INSERT INTO readings VALUES (1, 1.0, '2024-01-01'), (2, 'NaN', '2024-01-01'), (3, 'NaN', '2024-01-02')");
        sync.table("readings", "table=readings", "cursor=updated_at");
        sync.start();
        assertThat(sync.runOnce("readings")).isTrue();
        sync.stop();
        assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isEqualTo(2);

        SyncHarness.CliResult stillBroken = sync.cli("replay");
        assertThat(stillBroken.exitCode()).isEqualTo(1);
        assertThat(sync.target().queryForList("SELECT attempts FROM pgturso_dead_letters", Long.class)).containsExactly(2L, 2L);

        // fix the cause without touching the cursor, so only replay can bring the rows over; and delete one
        pg.update("UPDATE readings SET value = 2.5 WHERE id = 2");
        pg.update("DELETE FROM readings WHERE id = 3");
        SyncHarness.CliResult fixed = sync.cli("replay");

        assertThat(fixed.exitCode()).as(fixed.out() + fixed.err()).isZero();
        assertThat(fixed.out()).contains("1 rows written").contains("1 no longer in Postgres");
        assertThat(sync.target().queryForObject("SELECT value FROM readings WHERE id = 2", Double.class)).isEqualTo(2.5);
        assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
    }

    @Test
    void a_table_added_by_configuration_alone_syncs() {
        ordersTable();
        pg.execute("CREATE TABLE customers (\"Id\" int PRIMARY KEY, \"Full Name\" text, secret text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO orders (id, name) VALUES (1, 'a')");
        pg.update("INSERT INTO customers VALUES (10, 'Ada', 'hidden')");
        sync.table("orders", "table=orders", "cursor=updated_at");
        assertThat(sync.cli("once").exitCode()).isZero();

        sync.table("crm", "table=customers", "cursor=updated_at", "exclude=secret", "rename=Full Name:full_name",
                "targetTable=crm_customers");
        SyncHarness.CliResult result = sync.cli("once");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sync.target().queryForMap("SELECT * FROM crm_customers")).containsOnlyKeys("Id", "full_name", "updated_at")
                .containsEntry("full_name", "Ada");
    }

    @Test
    void incrementing_and_full_modes_copy_append_only_and_keyless_cursor_tables() {
        pg.execute("CREATE TABLE events (id bigserial PRIMARY KEY, payload text)");
        pg.execute("CREATE TABLE countries (code text PRIMARY KEY, name text)");
        pg.update("INSERT INTO events (payload) SELECT 'e' || g FROM generate_series(1, 25) g");
        pg.update("INSERT INTO countries VALUES ('fr', 'France'), ('de', 'Germany')");
        sync.table("events", "table=events", "cursor=id", "mode=incrementing", "batchSize=10");
        sync.table("countries", "table=countries", "mode=full");
        sync.start();
        assertThat(sync.runOnce("events")).isTrue();
        assertThat(sync.runOnce("countries")).isTrue();

        pg.update("INSERT INTO events (payload) VALUES ('late')");
        pg.update("UPDATE countries SET name = 'Deutschland' WHERE code = 'de'");
        assertThat(sync.runOnce("events")).isTrue();
        assertThat(sync.runOnce("countries")).isTrue();

        assertThat(count("events")).isEqualTo(26);
        assertThat(checkpointRows("events")).isEqualTo(26);
        assertThat(sync.target().queryForObject("SELECT name FROM countries WHERE code = 'de'", String.class)).isEqualTo("Deutschland");
    }

    @Test
    void a_column_added_in_postgres_is_added_in_the_target() {
        ordersTable();
        pg.update("INSERT INTO orders (id, name) VALUES (1, 'a')");
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();

        pg.execute("ALTER TABLE orders ADD COLUMN total numeric(10, 2)");
        pg.update("UPDATE orders SET total = 9.99, updated_at = now() WHERE id = 1");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(sync.target().queryForObject("SELECT total FROM orders WHERE id = 1", String.class)).isEqualTo("9.99");
    }

    @Test
    void an_older_version_never_overwrites_a_newer_one() {
        ordersTable();
        pg.update("INSERT INTO orders VALUES (1, 'new', '2024-06-01 00:00:00+00')");
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        String upsert = TargetSql.upsert(sync.spec("orders"));

        sync.target().update(upsert, 1L, "old", "2024-01-01T00:00:00.000000Z");

        assertThat(sync.target().queryForObject("SELECT name FROM orders WHERE id = 1", String.class)).isEqualTo("new");
    }

    @Test
    void scheduled_passes_run_and_editing_a_route_file_reloads_every_table() throws Exception {
        ordersTable();
        pg.execute("CREATE TABLE notes (id int PRIMARY KEY, body text, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.property("sync.schedule", "* * * * * ?");
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.table("notes", "table=notes", "cursor=updated_at");
        var app = sync.start(true);
        pg.update("INSERT INTO orders (id, name) VALUES (1, 'a')");
        await().atMost(Duration.ofSeconds(30)).until(() -> tableCount("orders") == 1);

        Path template = dir.resolve("routes/table-sync.camel.yaml");
        Files.writeString(template, Files.readString(template).replace("method: endPass", "method: endPass\n          - setVariable:\n              name: reloadedMarker\n              constant:\n                expression: edited"));

        ModelCamelContext model = (ModelCamelContext) app.camel();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(model.getRouteDefinition("orders")).isNotNull();
            assertThat(model.getRouteDefinition("notes")).isNotNull();
            assertThat(model.getRouteDefinition("orders").toString()).contains("reloadedMarker");
            assertThat(model.getRouteDefinition("notes").toString()).contains("reloadedMarker");
        });
        pg.update("INSERT INTO orders (id, name) VALUES (2, 'after reload')");
        pg.update("INSERT INTO notes (id, body) VALUES (1, 'after reload')");
        await().atMost(Duration.ofSeconds(30)).until(() -> tableCount("orders") == 2 && tableCount("notes") == 1);
    }

    @Test
    void a_row_committed_late_by_a_long_transaction_still_arrives() throws Exception {
        ordersTable();
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.start();
        try (Connection longTransaction = openSource()) {
            longTransaction.setAutoCommit(false);
            longTransaction.createStatement().execute("INSERT INTO orders (id, name) VALUES (1, 'committed late')");
            pg.update("INSERT INTO orders (id, name) VALUES (2, 'committed first')");

            assertThat(sync.runOnce("orders")).isTrue();
            assertThat(ids("orders")).as("rows newer than the open transaction's start wait").isEmpty();
            longTransaction.commit();
        }
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(ids("orders")).containsExactly(1L, 2L);
    }

    @Test
    void without_the_horizon_a_late_commit_would_be_missed() throws Exception {
        ordersTable();
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.property("sync.horizon.enabled", "false");
        sync.start();
        try (Connection longTransaction = openSource()) {
            longTransaction.setAutoCommit(false);
            longTransaction.createStatement().execute("INSERT INTO orders (id, name) VALUES (1, 'committed late')");
            pg.update("INSERT INTO orders (id, name) VALUES (2, 'committed first')");
            assertThat(sync.runOnce("orders")).isTrue();
            longTransaction.commit();
        }
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(ids("orders")).as("this is the failure the horizon prevents").containsExactly(2L);
    }

    @Test
    void rows_with_a_null_cursor_are_copied_and_kept_up_to_date() {
        pg.execute("CREATE TABLE notes (id int PRIMARY KEY, body text, updated_at timestamptz)");
        pg.update("INSERT INTO notes VALUES (1, 'dated', '2024-01-01'), (2, 'undated', NULL), (3, 'undated too', NULL)");
        sync.table("notes", "table=notes", "cursor=updated_at", "batchSize=1");
        sync.start();
        assertThat(sync.runOnce("notes")).isTrue();
        assertThat(ids("notes")).containsExactly(1L, 2L, 3L);

        pg.update("UPDATE notes SET body = 'edited' WHERE id = 3");
        assertThat(sync.runOnce("notes")).isTrue();

        assertThat(sync.target().queryForObject("SELECT body FROM notes WHERE id = 3", String.class)).isEqualTo("edited");
    }

    @Test
    void rows_marked_deleted_are_removed_from_the_target() {
        pg.execute("CREATE TABLE posts (id int PRIMARY KEY, title text, deleted boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO posts (id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        pg.update("INSERT INTO posts (id, title, deleted) VALUES (4, 'never shown', true)");
        sync.table("posts", "table=posts", "cursor=updated_at", "softDelete=deleted");
        sync.start();
        assertThat(sync.runOnce("posts")).isTrue();
        assertThat(ids("posts")).containsExactly(1L, 2L, 3L);

        pg.update("UPDATE posts SET deleted = true, updated_at = now() WHERE id = 2");
        assertThat(sync.runOnce("posts")).isTrue();

        assertThat(ids("posts")).containsExactly(1L, 3L);
    }

    @Test
    void composite_keys_and_identifiers_that_need_quoting_sync() {
        pg.execute("CREATE TABLE \"Order Lines\" (\"order\" int, \"Line No\" int, \"select\" text, \"Updated At\" timestamptz NOT NULL, "
                + "PRIMARY KEY (\"order\", \"Line No\"))");
        pg.update("INSERT INTO \"Order Lines\" SELECT o, l, 'item ' || o || '/' || l, '2024-01-01' FROM generate_series(1, 3) o, generate_series(1, 4) l");
        sync.table("lines", "table=Order Lines", "cursor=Updated At", "batchSize=5");
        sync.start();
        assertThat(sync.runOnce("lines")).isTrue();

        pg.update("UPDATE \"Order Lines\" SET \"select\" = 'changed', \"Updated At\" = now() WHERE \"order\" = 2 AND \"Line No\" = 3");
        assertThat(sync.runOnce("lines")).isTrue();

        assertThat(sync.target().queryForObject("SELECT count(*) FROM \"Order Lines\"", Long.class)).isEqualTo(12);
        assertThat(sync.target().queryForObject("SELECT \"select\" FROM \"Order Lines\" WHERE \"order\" = 2 AND \"Line No\" = 3", String.class))
                .isEqualTo("changed");
    }

    @Test
    void rerunning_every_page_from_scratch_changes_nothing() {
        ordersTable();
        pg.update("INSERT INTO orders (id, name, updated_at) SELECT g, 'o' || g, '2024-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, 30) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=7");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        List<Map<String, Object>> before = sync.target().queryForList("SELECT * FROM orders ORDER BY id");

        sync.target().update("DELETE FROM pgturso_checkpoints");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(sync.target().queryForList("SELECT * FROM orders ORDER BY id")).isEqualTo(before);
    }

    @Test
    void oversized_values_are_dead_lettered_with_the_limit_named() {
        pg.execute("CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO docs (id, body) VALUES (1, repeat('x', 100)), (2, repeat('y', 5000))");
        sync.property("sync.max-value-bytes", "1000");
        sync.table("docs", "table=docs", "cursor=updated_at");
        sync.start();

        assertThat(sync.runOnce("docs")).isTrue();

        assertThat(ids("docs")).containsExactly(1L);
        assertThat(sync.target().queryForObject("SELECT error FROM pgturso_dead_letters", String.class))
                .contains("5000 bytes").contains("sync.max-value-bytes");
    }

    private Connection openSource() throws java.sql.SQLException {
        return DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password());
    }

    private List<Long> ids(String table) {
        return sync.target().queryForList("SELECT id FROM \"" + table + "\" ORDER BY id", Long.class);
    }

    private long tableCount(String table) {
        try {
            return count(table);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
