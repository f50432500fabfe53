package io.pgturso.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.app.SyncApplication;
import io.pgturso.pass.TableRunner;
import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ChunkSql;
import io.pgturso.verify.ComparisonResult;
import io.pgturso.verify.TableComparison;
import io.pgturso.verify.TableComparisonTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** Hard-delete reconciliation through its real route, against real Postgres and a real SQLite file target. */
class DeleteReconciliationTest {
    @TempDir
    Path dir;
    SyncHarness sync;
    JdbcTemplate pg;
    SyncApplication app;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
        pg = sync.pg();
        sync.property("sync.reconcile.enabled", "true");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private void orders(String table) {
        pg.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO " + table + " (id, name) SELECT g, 'order ' || g FROM generate_series(1, 100) g");
    }

    private void startAndSync(String... tables) {
        app = sync.start();
        for (String table : tables) {
            assertThat(sync.runOnce(table)).isTrue();
        }
    }

    private boolean reconcile() {
        return TableRunner.runOnce(app.camel(), "delete-reconciliation");
    }

    private List<Long> ids(String table) {
        return sync.target().queryForList("SELECT id FROM \"" + table + "\" ORDER BY id", Long.class);
    }

    private static List<Long> oneToHundredWithout(long... gone) {
        List<Long> out = new ArrayList<>(LongStream.rangeClosed(1, 100).boxed().toList());
        for (long g : gone) {
            out.remove(g);
        }
        return out;
    }

    private ComparisonResult verify(String table) {
        var r = app.camel().getRegistry();
        return new TableComparison(7, 10).compare(sync.spec(table), r.lookupByNameAndType("source", DataSource.class),
                r.lookupByNameAndType("target", DataSource.class));
    }

    @Test
    void deletes_the_target_rows_deleted_in_postgres_and_keeps_all_others_in_the_configured_tables() {
        orders("orders");
        orders("notes");
        pg.execute("CREATE TABLE labels (region text, code text, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (region, code))");
        pg.batchUpdate("INSERT INTO labels (region, code) VALUES (?, ?)", TableComparisonTest.TRICKY_TEXT.stream()
                .flatMap(r -> TableComparisonTest.TRICKY_TEXT.stream().map(c -> new Object[] {r, c})).toList());
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.table("notes", "table=notes", "cursor=updated_at");
        sync.table("labels", "table=labels", "cursor=updated_at");
        sync.property("sync.reconcile.tables", "orders, labels");
        sync.property("sync.reconcile.chunk-size", "10");
        sync.property("sync.reconcile.max-chunks", "1000");
        startAndSync("orders", "notes", "labels");
        pg.update("DELETE FROM orders WHERE id IN (1, 10, 11, 55, 100)");
        pg.update("DELETE FROM notes WHERE id = 5");
        pg.update("DELETE FROM labels WHERE region = '😀' OR code IN ('É', '')");

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(reconcile()).isTrue();
            assertThat(logs.text()).contains("orders: delete reconciliation compared 10 chunks (4 differed), deleted 5 rows "
                    + "from the target, reached the end; next run starts over");
        }

        assertThat(ids("orders")).isEqualTo(oneToHundredWithout(1, 10, 11, 55, 100));
        assertThat(ids("notes")).as("not in sync.reconcile.tables").hasSize(100);
        assertThat(verify("orders").isEqual()).isTrue();
        ComparisonResult labels = verify("labels");
        assertThat(labels.isEqual()).as(labels.toString()).isTrue();
        assertThat(labels.targetRows()).isEqualTo(26L * 25);
    }

    @Test
    void a_small_bound_needs_two_runs_and_the_second_continues_where_the_first_stopped() {
        orders("orders");
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.property("sync.reconcile.chunk-size", "20");
        sync.property("sync.reconcile.max-chunks", "3");
        startAndSync("orders");
        pg.update("DELETE FROM orders WHERE id IN (5, 95)");

        assertThat(reconcile()).isTrue();
        assertThat(ids("orders")).isEqualTo(oneToHundredWithout(5));
        assertThat(sync.target().queryForObject("SELECT position FROM pgturso_reconcile WHERE sync_table = 'orders'", String.class))
                .isEqualTo("[60]");

        assertThat(reconcile()).isTrue();
        assertThat(ids("orders")).isEqualTo(oneToHundredWithout(5, 95));
        assertThat(sync.target().queryForMap("SELECT position, rows_deleted, rounds FROM pgturso_reconcile WHERE sync_table = 'orders'"))
                .containsEntry("position", null).containsEntry("rows_deleted", 2).containsEntry("rounds", 1);
    }

    @Test
    void a_postgres_failure_mid_run_deletes_nothing_of_the_failed_chunk_and_the_next_run_resumes_there() {
        // a view whose rows above 50 fail to read while the switch is on: a real Postgres error in the third chunk
        pg.execute("CREATE TABLE failure_switch (broken boolean NOT NULL)");
        pg.update("INSERT INTO failure_switch VALUES (false)");
        pg.execute("""
                CREATE FUNCTION readable(id bigint) RETURNS boolean LANGUAGE plpgsql AS $$
                BEGIN
                  IF id > 50 AND (SELECT broken FROM failure_switch) THEN RAISE EXCEPTION 'disk read error at row %', id; END IF;
                  RETURN true;
                END $$""");
        orders("order_rows");
        pg.execute("CREATE VIEW orders AS SELECT * FROM order_rows WHERE readable(id)");
        sync.table("orders", "table=orders", "cursor=updated_at", "key=id");
        sync.property("sync.reconcile.chunk-size", "25");
        startAndSync("orders");
        pg.update("DELETE FROM order_rows WHERE id IN (10, 60)");
        pg.update("UPDATE failure_switch SET broken = true");

        try (CapturedLogs logs = new CapturedLogs()) {
            reconcile();
            assertThat(logs.text()).contains("orders: delete reconciliation failed, nothing of the failed chunk deleted")
                    .contains("disk read error at row 51");
        }
        assertThat(ids("orders")).as("the chunks read completely were reconciled, the failed one not")
                .isEqualTo(oneToHundredWithout(10));
        assertThat(sync.target().queryForObject("SELECT position FROM pgturso_reconcile WHERE sync_table = 'orders'", String.class))
                .isEqualTo("[50]");

        pg.update("UPDATE failure_switch SET broken = false");
        assertThat(reconcile()).isTrue();
        assertThat(ids("orders")).isEqualTo(oneToHundredWithout(10, 60));
    }

    @Test
    void nothing_is_deleted_when_postgres_cannot_be_reached() {
        orders("orders");
        sync.table("orders", "table=orders", "cursor=updated_at");
        startAndSync("orders");
        pg.update("DELETE FROM orders WHERE id <= 50");
        var spec = sync.spec("orders");
        app.camel().getRegistry().lookupByNameAndType("source", HikariDataSource.class).close();

        try (CapturedLogs logs = new CapturedLogs()) {
            reconcile();
            assertThat(logs.text()).contains("orders: delete reconciliation failed");
        }
        DataSource closed = app.camel().getRegistry().lookupByNameAndType("source", DataSource.class);
        DataSource target = app.camel().getRegistry().lookupByNameAndType("target", DataSource.class);
        assertThatThrownBy(() -> new TableReconciliation(closed, target, new ReconcilePositions(target), 10,
                app.camel().getRegistry().lookupByNameAndType("tableLocks", io.pgturso.pass.TableLocks.class)).run(spec, 10))
                .as("with the table already resolved").isInstanceOf(SQLException.class);
        assertThat(ids("orders")).hasSize(100);
    }

    @Test
    void a_delete_applies_only_while_the_target_still_holds_the_version_that_was_read() {
        orders("orders");
        sync.table("orders", "table=orders", "cursor=updated_at");
        startAndSync("orders");
        var spec = sync.spec("orders");
        String versionRead = sync.target().queryForObject("SELECT updated_at FROM orders WHERE id = 7", String.class);
        // the row was deleted and inserted again in Postgres, and the sync wrote the new version after the reads
        sync.target().update("UPDATE orders SET updated_at = '2999-01-01T00:00:00.000000Z' WHERE id = 7");

        int deleted = sync.target().update(ChunkSql.targetDelete(spec), 7L, versionRead);

        assertThat(deleted).isZero();
        assertThat(ids("orders")).contains(7L);
        assertThat(sync.target().update(ChunkSql.targetDelete(spec), 8L,
                sync.target().queryForObject("SELECT updated_at FROM orders WHERE id = 8", String.class))).isEqualTo(1);
    }

    @Test
    void deletes_and_chunk_reads_compare_a_single_key_column_plainly_so_tursodb_uses_its_index() {
        orders("orders");
        sync.table("orders", "table=orders", "cursor=updated_at");
        startAndSync("orders");
        var spec = sync.spec("orders");
        // tursodb answers a row value such as ("id") = (?) with a full scan: 1,000 deletes of 20,000 rows took 4 s
        assertThat(ChunkSql.targetDelete(spec)).startsWith("DELETE FROM \"orders\" WHERE \"id\" = ? AND");
        assertThat(ChunkSql.targetRows(spec, spec.key(), true)).contains("WHERE \"id\" > ?");
    }

    @Test
    void the_scheduled_job_reconciles_by_itself_when_enabled() {
        orders("orders");
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.property("sync.reconcile.schedule", "* * * * * ?");
        app = sync.start(true);
        assertThat(sync.runOnce("orders")).isTrue();

        pg.update("DELETE FROM orders WHERE id = 42");

        await().atMost(Duration.ofSeconds(30)).until(() -> !ids("orders").contains(42L));
        assertThat(ids("orders")).hasSize(99);
    }
}
