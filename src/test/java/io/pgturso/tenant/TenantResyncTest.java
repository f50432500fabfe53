package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.pass.TableLocks;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TenantFiles;
import io.pgturso.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code resync --table T --tenant X}: one tenant's database made equal to its rows in Postgres, nothing else touched. */
@Timeout(180)
class TenantResyncTest {
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
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text, amount numeric(10, 2), "
                + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'globex', 20), (3, 'acme', 30), "
                + "(4, 'initech', 40), (5, 'acme', 50)");
        sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id", "batchSize=2");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private List<Long> ids(String database) {
        return tenants.tenant(database).queryForList("SELECT id FROM orders ORDER BY id", Long.class);
    }

    private List<String> indexed(String database) {
        return tenants.jdbc().queryForList("SELECT row_key FROM pgturso_tenant_keys WHERE tenant_database = ? ORDER BY row_key",
                String.class, database);
    }

    private String checkpoint() {
        return tenants.jdbc().queryForObject("SELECT position FROM pgturso_checkpoints WHERE sync_table = 'orders'", String.class);
    }

    @Test
    void resync_of_one_tenant_makes_its_database_equal_to_postgres_and_touches_no_other_tenant() {
        assertThat(sync.cli("once").exitCode()).isZero();
        String checkpoint = checkpoint();
        JdbcTemplate acme = tenants.tenant("acme");
        acme.update("UPDATE orders SET amount = 99 WHERE id = 1");
        acme.update("DELETE FROM orders WHERE id = 3");
        acme.update("INSERT INTO orders (id, tenant_id, amount, updated_at) VALUES (7, 'acme', 70, '2020-01-01T00:00:00Z')");
        // a hard delete, which polling does not see
        pg.update("DELETE FROM orders WHERE id = 5");
        tenants.tenant("globex").update("UPDATE orders SET amount = 99");

        CliResult resync = sync.cli("resync", "--table", "orders", "--tenant", "acme");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(resync.out()).contains("orders [tenant acme]: resynced into database acme: 2 rows written, 0 unchanged, "
                + "2 deleted as no longer in Postgres for the tenant");
        assertThat(ids("acme")).containsExactly(1L, 3L);
        assertThat(sync.cli("verify", "--tenant", "acme").exitCode()).isZero();
        assertThat(tenants.tenant("globex").queryForObject("SELECT amount FROM orders WHERE id = 2", String.class))
                .as("another tenant's database is not touched").isEqualTo("99");
        assertThat(indexed("acme")).containsExactly("{\"id\":\"1\"}", "{\"id\":\"3\"}");
        assertThat(checkpoint()).as("the passes' checkpoint stays").isEqualTo(checkpoint);
        assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'orders'", Integer.class))
                .as("nothing of the table is written into the control database").isZero();
    }

    @Test
    void a_row_that_moved_to_another_tenant_leaves_only_the_resynced_tenant_and_the_next_pass_writes_it_where_it_went() {
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.update("UPDATE orders SET tenant_id = 'globex', updated_at = clock_timestamp() WHERE id = 3");
        pg.update("UPDATE orders SET tenant_id = 'acme', updated_at = clock_timestamp() WHERE id = 4");

        CliResult resync = sync.cli("resync", "--table", "orders", "--tenant", "acme");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(ids("acme")).containsExactly(1L, 4L, 5L);
        assertThat(ids("globex")).as("the tenant the row went to gets it from the next pass").containsExactly(2L);
        assertThat(ids("initech")).as("the tenant the row left keeps it until the next pass").containsExactly(4L);

        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(ids("acme")).containsExactly(1L, 4L, 5L);
        assertThat(ids("globex")).containsExactly(2L, 3L);
        assertThat(ids("initech")).isEmpty();
        CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    @Test
    void resync_of_one_tenant_puts_back_the_key_index_entries_by_which_a_later_move_finds_its_rows() {
        assertThat(sync.cli("once").exitCode()).isZero();
        tenants.jdbc().update("DELETE FROM pgturso_tenant_keys WHERE tenant_database = 'acme'");

        assertThat(sync.cli("resync", "--table", "orders", "--tenant", "acme").exitCode()).isZero();
        assertThat(indexed("acme")).containsExactly("{\"id\":\"1\"}", "{\"id\":\"3\"}", "{\"id\":\"5\"}");

        pg.update("UPDATE orders SET tenant_id = 'globex', updated_at = clock_timestamp() WHERE id = 1");
        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(ids("acme")).as("the moved row left its old tenant's database").containsExactly(3L, 5L);
        assertThat(ids("globex")).containsExactly(1L, 2L);
    }

    @Test
    void resync_of_a_new_tenant_creates_its_database_and_a_tenant_without_rows_or_database_is_refused() {
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (6, 'hooli', 60)");

        CliResult created = sync.cli("resync", "--table", "orders", "--tenant", "hooli");
        assertThat(created.exitCode()).as(created.out() + created.err()).isZero();
        assertThat(ids("hooli")).containsExactly(6L);

        CliResult none = sync.cli("resync", "--table", "orders", "--tenant", "nobody");
        assertThat(none.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(none.err()).contains("Tenant 'nobody' has no rows in orders and no database: nothing to resync");
        assertThat(tenants.exists("nobody")).isFalse();
    }

    @Test
    void resync_of_one_tenant_is_refused_while_a_pass_holds_the_table() throws Exception {
        assertThat(sync.cli("once").exitCode()).isZero();
        tenants.tenant("acme").update("DELETE FROM orders");
        String control = "file:" + dir.resolve("tenants").resolve("pgturso-control.db");
        try (Connection pass = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password())) {
            pass.createStatement().executeQuery("SELECT set_config('application_name', 'pg-turso-sync pass of orders', false)").close();
            assertThat(lock(pass, "pg_try_advisory_lock", TableLocks.key(control, "orders"))).isTrue();

            CliResult refused = sync.cli("resync", "--table", "orders", "--tenant", "acme");
            assertThat(refused.exitCode()).isEqualTo(App.FAILED);
            assertThat(refused.err()).contains("pg-turso-sync pass of orders holds it now").contains("run it again");
            assertThat(ids("acme")).as("nothing written while the pass holds the table").isEmpty();
        }
        assertThat(sync.cli("resync", "--table", "orders", "--tenant", "acme").exitCode()).isZero();
        assertThat(ids("acme")).containsExactly(1L, 3L, 5L);
    }

    @Test
    void resyncs_of_one_tenant_beside_a_running_sync_while_rows_change_and_move_lose_and_duplicate_nothing() throws Exception {
        pg.update("INSERT INTO orders (id, tenant_id, amount) SELECT g, (ARRAY['acme', 'globex', 'initech'])[1 + g % 3], g "
                + "FROM generate_series(100, 399) g");
        sync.property("sync.schedule", "* * * * * ?").property("sync.http.enabled", "false");
        sync.start(true);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CompletableFuture<Integer> writer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            java.util.Random random = new java.util.Random(7);
            int changes = 0;
            while (writing.get()) {
                // a change of amount, or a move to another tenant
                pg.update("UPDATE orders SET amount = amount + 1, tenant_id = CASE WHEN ? THEN (ARRAY['acme', 'globex', "
                        + "'initech'])[1 + (id + ?) % 3] ELSE tenant_id END, updated_at = clock_timestamp() WHERE id = ?",
                        random.nextBoolean(), random.nextInt(3), 100 + random.nextInt(300));
                changes++;
            }
            return changes;
        });
        int resynced = 0;
        int refused = 0;
        while (resynced < 3) {
            CliResult resync = sync.cli("resync", "--table", "orders", "--tenant", "acme");
            if (resync.exitCode() == 0) {
                resynced++;
            } else {
                // the running sync's pass held the table: refused before anything was written
                assertThat(resync.err()).contains("Target table 'orders' is busy")
                        .contains("so resync of orders for tenant acme is refused; run it again");
                refused++;
            }
            assertThat(resynced + refused).as("resyncs tried").isLessThan(40);
        }
        writing.set(false);
        assertThat(writer.get(60, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
        sync.stop();

        assertThat(sync.cli("once").exitCode()).isZero();
        CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("orders: OK 3 tenants compared, 0 differ, 305 rows in their databases");
    }

    @Test
    void tenant_goes_only_with_a_table_with_fan_out() {
        pg.execute("CREATE TABLE plans (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.table("plans", "table=plans", "cursor=updated_at");
        CliResult plain = sync.cli("resync", "--table", "plans", "--tenant", "acme");
        assertThat(plain.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(plain.err()).contains("--tenant goes with a table with fan-out; plans has none");
        assertThat(sync.cli("replay", "--tenant", "acme").err()).contains("--tenant goes with verify, resync or drop-tenant, not replay");
    }

    private static boolean lock(Connection c, String function, int key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?, ?)")) {
            ps.setInt(1, TableLocks.LOCK_CLASS);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
