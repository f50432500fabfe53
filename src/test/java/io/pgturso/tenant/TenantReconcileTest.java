package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.pass.TableLocks;
import io.pgturso.pass.TableRunner;
import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TenantFiles;
import io.pgturso.testing.TestPostgres;
import io.pgturso.verify.TableComparisonTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The hard-delete reconciliation of a table with fan-out: a row DELETEd in Postgres leaves its tenant's database. */
@Timeout(180)
class TenantReconcileTest {
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");

    @TempDir
    Path dir;

    private TenantFiles tenants;
    private SyncHarness sync;
    private JdbcTemplate pg;

    @BeforeEach
    void setUp() {
        tenants = new TenantFiles(dir.resolve("tenants"));
        sync = SyncHarness.create(dir, tenants);
        pg = sync.pg();
        // 30 rows, id % 3 names the tenant: acme 3, 6, ..., globex 1, 4, ..., initech 2, 5, ...
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text NOT NULL, amount int, "
                + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        pg.update("INSERT INTO orders (id, tenant_id, amount) SELECT g, (ARRAY['acme', 'globex', 'initech'])[g % 3 + 1], g "
                + "FROM generate_series(1, 30) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id", "batchSize=7");
        sync.property("sync.reconcile.enabled", "true");
        sync.property("sync.reconcile.chunk-size", "4");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private List<Long> ids(String database) {
        return tenants.tenant(database).queryForList("SELECT id FROM orders ORDER BY id", Long.class);
    }

    /** The ids of a tenant in Postgres: what its database must hold. */
    private List<Long> inPostgres(String tenant) {
        return pg.queryForList("SELECT id FROM orders WHERE tenant_id = ? ORDER BY id", Long.class, tenant);
    }

    private List<String> indexed(String database) {
        return tenants.jdbc().queryForList("SELECT row_key FROM pgturso_tenant_keys WHERE tenant_database = ? ORDER BY row_key",
                String.class, database);
    }

    private static List<Long> tenantIds(int remainder, long... without) {
        return LongStream.rangeClosed(1, 30).filter(i -> i % 3 == remainder)
                .filter(i -> LongStream.of(without).noneMatch(w -> w == i)).boxed().toList();
    }

    @Test
    void once_deletes_the_rows_deleted_in_postgres_from_their_tenant_databases_and_keeps_every_other_row() {
        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(ids("acme")).isEqualTo(tenantIds(0));
        pg.update("DELETE FROM orders WHERE id IN (3, 4, 5, 14, 30)");
        // deleted and inserted again meanwhile: it stays
        pg.update("DELETE FROM orders WHERE id = 7");
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (7, 'globex', 77)");
        // stale entries of the key index: a database that does not hold the row, one that was never created
        tenants.jdbc().update("INSERT INTO pgturso_tenant_keys (sync_table, row_key, tenant_database) VALUES "
                + "('orders', '{\"id\":\"4\"}', 'acme'), ('orders', '{\"id\":\"5\"}', 'nowhere')");

        CliResult once = sync.cli("once");

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        assertThat(once.out()).contains("orders: 5 rows deleted as gone from Postgres (delete reconciliation)");
        assertThat(ids("acme")).isEqualTo(tenantIds(0, 3, 30));
        assertThat(ids("globex")).isEqualTo(tenantIds(1, 4));
        assertThat(ids("initech")).isEqualTo(tenantIds(2, 5, 14));
        for (String tenant : TENANTS) {
            assertThat(ids(tenant)).as(tenant).isEqualTo(inPostgres(tenant));
        }
        assertThat(tenants.tenant("globex").queryForObject("SELECT amount FROM orders WHERE id = 7", Integer.class)).isEqualTo(77);
        assertThat(indexed("acme")).as("the key index forgets the rows deleted").doesNotContain("{\"id\":\"3\"}", "{\"id\":\"30\"}")
                .hasSize(8);
        assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM pgturso_tenant_keys WHERE row_key IN "
                + "('{\"id\":\"4\"}', '{\"id\":\"5\"}')", Integer.class)).as("stale entries of rows gone are forgotten").isZero();
        assertThat(sync.cli("verify").exitCode()).isZero();
    }

    @Test
    void the_rows_postgres_has_but_the_sync_does_not_keep_count_as_gone_as_for_any_table() {
        pg.execute("CREATE TABLE notes (id bigint PRIMARY KEY, tenant_id text NOT NULL, status text, deleted_at timestamptz, "
                + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        pg.update("INSERT INTO notes (id, tenant_id, status) SELECT g, (ARRAY['acme', 'globex', 'initech'])[g % 3 + 1], 'open' "
                + "FROM generate_series(1, 9) g");
        sync.table("notes", "table=notes", "cursor=updated_at", "fan-out=tenant_id", "softDelete=deleted_at",
                "where=src.status IS DISTINCT FROM 'draft'");
        assertThat(sync.cli("once").exitCode()).isZero();
        // changed without moving the cursor, so no pass reads them: one no longer matches where, one is marked deleted
        pg.update("UPDATE notes SET status = 'draft' WHERE id = 4");
        pg.update("UPDATE notes SET deleted_at = now() WHERE id = 6");
        pg.update("DELETE FROM notes WHERE id = 8");

        CliResult once = sync.cli("once");

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        assertThat(once.out()).contains("notes: 3 rows deleted as gone from Postgres");
        assertThat(tenants.tenant("acme").queryForList("SELECT id FROM notes ORDER BY id", Long.class)).containsExactly(3L, 9L);
        assertThat(tenants.tenant("globex").queryForList("SELECT id FROM notes ORDER BY id", Long.class)).containsExactly(1L, 7L);
        assertThat(tenants.tenant("initech").queryForList("SELECT id FROM notes ORDER BY id", Long.class)).containsExactly(2L, 5L);
    }

    @Test
    void a_run_is_bounded_by_max_chunks_and_the_next_run_continues_where_it_stopped() {
        sync.property("sync.reconcile.tables", "orders");
        sync.property("sync.reconcile.max-chunks", "3");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        // the index lists a one-integer key as that integer, in numeric order: 4 is in the first chunk of 4, 30 in the last
        pg.update("DELETE FROM orders WHERE id IN (4, 30)");

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(reconcile()).isTrue();
            assertThat(logs.text()).contains("orders: delete reconciliation compared 3 chunks (1 differed), deleted 1 rows")
                    .contains("next run continues after").doesNotContain("sync.reconcile.tables names");
        }
        assertThat(ids("globex")).doesNotContain(4L);
        assertThat(ids("acme")).contains(30L);

        assertThat(reconcile()).isTrue();
        assertThat(reconcile()).isTrue();
        assertThat(ids("acme")).isEqualTo(tenantIds(0, 30));
        assertThat(ids("globex")).isEqualTo(tenantIds(1, 4));
        assertThat(ids("initech")).isEqualTo(tenantIds(2));
        assertThat(tenants.jdbc().queryForMap("SELECT position, rows_deleted, rounds FROM pgturso_reconcile WHERE sync_table = 'orders'"))
                .containsEntry("position", null).containsEntry("rows_deleted", 2).containsEntry("rounds", 1);
    }

    @Test
    void the_reconciliation_deletes_nothing_while_a_pass_holds_the_table_and_continues_there_next_run() throws Exception {
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        pg.update("DELETE FROM orders WHERE id = 12");
        String control = "file:" + dir.resolve("tenants").resolve("pgturso-control.db");

        try (Connection pass = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password());
                CapturedLogs logs = new CapturedLogs()) {
            pass.createStatement().executeQuery("SELECT set_config('application_name', 'pg-turso-sync pass of orders', false)").close();
            try (PreparedStatement ps = pass.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                ps.setInt(1, TableLocks.LOCK_CLASS);
                ps.setInt(2, TableLocks.key(control, "orders"));
                ps.executeQuery().close();
            }

            assertThat(reconcile()).isTrue();

            assertThat(ids("acme")).as("nothing deleted while the pass holds the table").contains(12L);
            assertThat(logs.text()).contains("orders: delete reconciliation stopped").contains("pg-turso-sync pass of orders");
        }
        assertThat(reconcile()).isTrue();
        assertThat(ids("acme")).isEqualTo(tenantIds(0, 12));
    }

    @Test
    void a_row_inserted_again_and_written_while_the_run_waits_for_the_tables_lock_is_not_deleted() throws Exception {
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        pg.update("DELETE FROM orders WHERE id = 12");
        String control = "file:" + dir.resolve("tenants").resolve("pgturso-control.db");

        try (Connection pass = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password())) {
            pass.createStatement().executeQuery("SELECT set_config('application_name', 'pg-turso-sync pass of orders', false)").close();
            try (PreparedStatement ps = pass.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                ps.setInt(1, TableLocks.LOCK_CLASS);
                ps.setInt(2, TableLocks.key(control, "orders"));
                ps.executeQuery().close();
            }
            // the run found 12 gone from Postgres and waits for the table
            CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(this::reconcile);
            await().atMost(Duration.ofSeconds(30)).until(() -> pg.queryForObject("SELECT count(*) FROM pg_stat_activity "
                    + "WHERE application_name = 'pg-turso-sync delete reconciliation of orders'", Integer.class) > 0);
            // meanwhile the row is inserted again, and the pass holding the table writes its new version
            pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (12, 'acme', 1212)");
            tenants.tenant("acme").update("UPDATE orders SET amount = 1212, updated_at = '2999-01-01T00:00:00.000000Z' WHERE id = 12");
            try (PreparedStatement ps = pass.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, TableLocks.LOCK_CLASS);
                ps.setInt(2, TableLocks.key(control, "orders"));
                ps.executeQuery().close();
            }
            assertThat(run.get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ids("acme")).isEqualTo(tenantIds(0));
        assertThat(indexed("acme")).contains("{\"id\":\"12\"}");
    }

    @Test
    void a_tenant_database_that_refuses_the_delete_fails_the_run_and_its_index_entry_stays_until_the_delete_is_done() {
        assertThat(sync.cli("once").exitCode()).isZero();
        tenants.tenant("initech").execute("CREATE TRIGGER refuse_deletes BEFORE DELETE ON orders BEGIN "
                + "SELECT RAISE(ABORT, 'no deletes here'); END");
        pg.update("DELETE FROM orders WHERE id IN (5, 6)");

        CliResult failed = sync.cli("once");

        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
        assertThat(failed.out()).contains("orders: delete reconciliation failed");
        assertThat(ids("initech")).contains(5L);
        assertThat(indexed("initech")).as("the index still names the database that holds the row").contains("{\"id\":\"5\"}");

        tenants.tenant("initech").execute("DROP TRIGGER refuse_deletes");
        CliResult once = sync.cli("once");

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        assertThat(ids("initech")).isEqualTo(tenantIds(2, 5));
        assertThat(ids("acme")).isEqualTo(tenantIds(0, 6));
        assertThat(indexed("initech")).doesNotContain("{\"id\":\"5\"}");
        assertThat(indexed("acme")).doesNotContain("{\"id\":\"6\"}");
    }

    @Test
    void rows_with_a_composite_text_key_and_a_timestamp_key_part_are_found_in_the_index_and_deleted() {
        pg.execute("CREATE TABLE labels (region text, code text, since timestamptz, tenant_id text NOT NULL, "
                + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (region, code, since))");
        pg.batchUpdate("INSERT INTO labels (region, code, since, tenant_id) VALUES (?, ?, '2024-02-29 12:34:56.789+02', ?)",
                TableComparisonTest.TRICKY_TEXT.stream().flatMap(r -> TableComparisonTest.TRICKY_TEXT.stream()
                        .map(c -> new Object[] {r, c, TENANTS.get(Math.floorMod((r + c).hashCode(), 3))})).toList());
        sync.table("labels", "table=labels", "cursor=updated_at", "fan-out=tenant_id", "batchSize=100");
        assertThat(sync.cli("once").exitCode()).isZero();
        int deleted = pg.update("DELETE FROM labels WHERE region = '😀' OR code IN ('É', '')");

        CliResult once = sync.cli("once");

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        assertThat(once.out()).contains("labels: " + deleted + " rows deleted as gone from Postgres");
        for (String tenant : TENANTS) {
            assertThat(tenants.tenant(tenant).queryForObject("SELECT count(*) FROM labels", Long.class)).as(tenant)
                    .isEqualTo(pg.queryForObject("SELECT count(*) FROM labels WHERE tenant_id = ?", Long.class, tenant));
        }
        CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    @Test
    void reconciliations_beside_a_running_sync_while_rows_are_deleted_inserted_again_and_moved_delete_no_live_row()
            throws Exception {
        pg.update("INSERT INTO orders (id, tenant_id, amount) SELECT g, (ARRAY['acme', 'globex', 'initech'])[g % 3 + 1], g "
                + "FROM generate_series(31, 200) g");
        sync.property("sync.schedule", "* * * * * ?").property("sync.reconcile.schedule", "* * * * * ?");
        sync.start(true);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            Random random = new Random(11);
            int changes = 0;
            while (writing.get()) {
                long id = 1 + random.nextInt(200);
                switch (random.nextInt(3)) {
                    case 0 -> pg.update("DELETE FROM orders WHERE id = ?", id);
                    // inserted again (after a delete), perhaps for another tenant
                    case 1 -> pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (?, ?, 1) ON CONFLICT (id) DO UPDATE "
                            + "SET tenant_id = excluded.tenant_id, updated_at = clock_timestamp()", id, TENANTS.get(random.nextInt(3)));
                    default -> pg.update("UPDATE orders SET amount = amount + 1, updated_at = clock_timestamp() WHERE id = ?", id);
                }
                changes++;
            }
            return changes;
        });
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<Map<String, Object>> runs = tenants.jdbc().queryForList(
                        "SELECT rows_deleted, rounds FROM pgturso_reconcile WHERE sync_table = 'orders'");
                return !runs.isEmpty() && ((Number) runs.get(0).get("rounds")).intValue() >= 4
                        && ((Number) runs.get(0).get("rows_deleted")).intValue() > 0;
            });
        } finally {
            writing.set(false);
        }
        assertThat(writer.get(60, TimeUnit.SECONDS)).isPositive();
        sync.stop();

        CliResult once = sync.cli("once");
        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        for (String tenant : TENANTS) {
            assertThat(ids(tenant)).as(tenant).isEqualTo(inPostgres(tenant));
        }
        CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    private boolean reconcile() {
        return TableRunner.runOnce(sync.app().camel(), "delete-reconciliation");
    }
}
