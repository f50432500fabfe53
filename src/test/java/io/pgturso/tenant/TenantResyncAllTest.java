package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.pass.TableLocks;
import io.pgturso.testing.CapturedLogs;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code resync --table T} of a polled table with fan-out, every tenant at once: each tenant database's table rebuilt
 * where a column was retyped, every row copied again into its tenant's database, the rows gone from Postgres deleted.
 */
@Timeout(180)
class TenantResyncAllTest {
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
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text, amount int, "
                + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        pg.update("INSERT INTO orders (id, tenant_id, amount) SELECT g, (ARRAY['acme', 'globex', 'initech'])[1 + g % 3], g "
                + "FROM generate_series(1, 300) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id", "batchSize=50");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private List<String> rows(String database) {
        return tenants.tenant(database).queryForList("SELECT id || ':' || amount FROM orders ORDER BY id", String.class);
    }

    private List<String> postgresRows(String tenant) {
        return pg.queryForList("SELECT id || ':' || amount FROM orders WHERE tenant_id = ? ORDER BY id", String.class, tenant);
    }

    private String declaredType(String database) {
        return tenants.declaredType(database, "orders", "amount");
    }

    private List<String> storedTypes(String database) {
        return tenants.tenant(database).queryForList("SELECT DISTINCT typeof(amount) FROM orders", String.class);
    }

    @Test
    void resync_of_a_table_with_fan_out_rebuilds_a_retyped_column_in_every_tenant_database_and_copies_every_row_again()
            throws Exception {
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.execute("ALTER TABLE orders ALTER COLUMN amount TYPE text USING 'n' || amount");
        // hard deletes, which polling does not see: one of acme's rows, and initech's every row
        pg.update("DELETE FROM orders WHERE id = 3 OR tenant_id = 'initech'");
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(sync.cli("once").exitCode()).as("the passes stop on the retyped column").isNotZero();
            assertThat(logs.text()).as("the checkpoint no longer fits the table: the next pass starts over")
                    .contains("checkpoint stays at the start (the next pass copies every row)").doesNotContain("stays at null");
        }
        assertThat(storedTypes("acme")).containsExactly("integer");

        // a reader of a tenant meanwhile: its table is never missing, empty or half copied
        AtomicBoolean reading = new AtomicBoolean(true);
        Set<Long> counts = ConcurrentHashMap.newKeySet();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            JdbcTemplate globex = tenants.tenant("globex");
            int reads = 0;
            while (reading.get()) {
                counts.add(globex.queryForObject("SELECT count(*) FROM orders", Long.class));
                reads++;
            }
            return reads;
        });
        CliResult resync = sync.cli("resync", "--table", "orders");
        reading.set(false);

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(resync.out()).contains("orders: target table orders rebuilt with the types Postgres maps to in 3 tenant databases")
                .contains("orders: resynced: every row copied again into its tenant's database, 101 rows no longer in Postgres deleted");
        assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
        assertThat(counts).as("globex's row count as its reader saw it").containsOnly(100L);
        for (String tenant : TENANTS) {
            assertThat(declaredType(tenant)).as("declared type in " + tenant).isEqualTo("TEXT");
            assertThat(rows(tenant)).as("rows of " + tenant).isEqualTo(postgresRows(tenant));
        }
        assertThat(storedTypes("acme")).containsExactly("text");
        assertThat(rows("acme")).startsWith("6:n6", "9:n9");
        assertThat(rows("initech")).as("a tenant whose rows are all gone keeps its database, empty").isEmpty();
        for (String tenant : TENANTS) {
            CliResult verify = sync.cli("verify", "--tenant", tenant);
            assertThat(verify.exitCode()).as(verify.out()).isZero();
        }
        pg.update("UPDATE orders SET amount = 'later', updated_at = clock_timestamp() WHERE id = 6");
        assertThat(sync.cli("once").exitCode()).as("the passes go on").isZero();
        assertThat(rows("acme")).contains("6:later");
    }

    @Test
    void resync_of_every_tenant_of_a_table_without_a_retyped_column_copies_and_deletes_without_rebuilding() {
        assertThat(sync.cli("once").exitCode()).isZero();
        tenants.tenant("acme").update("UPDATE orders SET amount = -1 WHERE id = 3");
        tenants.tenant("globex").update("DELETE FROM orders WHERE id = 1");
        pg.update("DELETE FROM orders WHERE id = 2");

        CliResult resync = sync.cli("resync", "--table", "orders");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(resync.out()).doesNotContain("rebuilt").contains("1 rows no longer in Postgres deleted");
        for (String tenant : TENANTS) {
            assertThat(rows(tenant)).as("rows of " + tenant).isEqualTo(postgresRows(tenant));
        }
        CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    @Test
    void resync_of_every_tenant_is_refused_while_a_pass_holds_the_table_and_rebuilds_nothing() throws Exception {
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.execute("ALTER TABLE orders ALTER COLUMN amount TYPE text");
        String control = "file:" + dir.resolve("tenants").resolve("pgturso-control.db");
        try (Connection pass = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password())) {
            pass.createStatement().executeQuery("SELECT set_config('application_name', 'pg-turso-sync pass of orders', false)").close();
            assertThat(lock(pass, TableLocks.key(control, "orders"))).isTrue();

            CliResult refused = sync.cli("resync", "--table", "orders");
            assertThat(refused.exitCode()).isEqualTo(App.FAILED);
            assertThat(refused.err()).contains("pg-turso-sync pass of orders holds it now").contains("run it again");
            for (String tenant : TENANTS) {
                assertThat(declaredType(tenant)).as("nothing rebuilt in " + tenant + " while the pass holds the table")
                        .isEqualTo("INTEGER");
            }
        }
        assertThat(sync.cli("resync", "--table", "orders").exitCode()).isZero();
        assertThat(declaredType("acme")).isEqualTo("TEXT");
    }

    @Test
    void a_tenant_database_whose_rebuild_fails_is_named_and_the_next_resync_goes_on_from_it() {
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.execute("ALTER TABLE orders ALTER COLUMN amount TYPE text");
        // the rebuild's new table cannot be made beside a view of its name
        tenants.tenant("globex").execute("CREATE VIEW orders__pgturso_rebuild AS SELECT 1");

        CliResult failed = sync.cli("resync", "--table", "orders");

        assertThat(failed.exitCode()).isEqualTo(App.FAILED);
        assertThat(failed.err()).contains("rebuilding table orders in tenant database globex failed (the 1 rebuilt before it "
                + "stay rebuilt; run resync --table orders again once the cause is fixed)");
        assertThat(declaredType("acme")).isEqualTo("TEXT");
        assertThat(declaredType("globex")).isEqualTo("INTEGER");
        assertThat(rows("globex")).as("the failed rebuild left the table as it was").isEqualTo(postgresRows("globex"));

        tenants.tenant("globex").execute("DROP VIEW orders__pgturso_rebuild");
        CliResult again = sync.cli("resync", "--table", "orders");
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("rebuilt with the types Postgres maps to in 2 tenant databases");
        for (String tenant : TENANTS) {
            assertThat(declaredType(tenant)).as("declared type in " + tenant).isEqualTo("TEXT");
        }
    }

    private static boolean lock(Connection c, int key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, TableLocks.LOCK_CLASS);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
