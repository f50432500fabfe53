package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TenantFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The commands with a database per tenant: verify tenant by tenant (or one), status's tenant lines, drop-tenant. */
@Timeout(180)
class TenantCommandsTest {
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
                + "(4, 'initech', 40)");
        sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private CliResult cli(String... args) {
        CliResult result = sync.cli(args);
        return result;
    }

    @Test
    void verify_compares_each_tenants_rows_with_its_own_database_and_names_the_one_that_differs() {
        assertThat(cli("once").exitCode()).isZero();
        CliResult equal = cli("verify");
        assertThat(equal.exitCode()).as(equal.out() + equal.err()).isZero();
        assertThat(equal.out()).contains("orders: OK 3 tenants compared, 0 differ, 4 rows in their databases");

        tenants.tenant("globex").update("UPDATE orders SET amount = 99");
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (5, 'hooli', 50)");
        CliResult different = cli("verify");
        assertThat(different.exitCode()).isEqualTo(App.FAILED);
        assertThat(different.out()).contains("orders [tenant globex] (database globex): DIFFERENT")
                .contains("orders [tenant hooli]: DIFFERENT 1 rows in Postgres, no database yet")
                .contains("orders: DIFFERENT 4 tenants compared, 2 differ").doesNotContain("[tenant acme]");
        assertThat(tenants.exists("hooli")).as("verify creates no database").isFalse();

        CliResult one = cli("verify", "--tenant", "acme");
        assertThat(one.exitCode()).isZero();
        assertThat(one.out()).contains("orders [tenant acme] (database acme): OK 2 rows");
        assertThat(cli("verify", "--tenant", "globex").exitCode()).isEqualTo(App.FAILED);
    }

    @Test
    void status_shows_the_tenant_databases_and_the_slowest_tenants() {
        assertThat(cli("once").exitCode()).isZero();
        CliResult status = cli("status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("Tenant databases: 3").contains("orders: rows in 3 tenant databases")
                .contains("Slowest tenants (average per write):").contains("(database acme)");
    }

    @Test
    void drop_tenant_deletes_a_database_only_once_postgres_has_none_of_its_rows() {
        assertThat(cli("once").exitCode()).isZero();
        CliResult refused = cli("drop-tenant", "--tenant", "initech");
        assertThat(refused.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(refused.err()).contains("Tenant 'initech' still has 1 rows in orders: its database is kept");
        assertThat(tenants.exists("initech")).isTrue();

        // the row moves away: the tenant's database stays, empty, until it is dropped
        pg.update("UPDATE orders SET tenant_id = 'acme', updated_at = clock_timestamp() WHERE id = 4");
        assertThat(cli("once").exitCode()).isZero();
        assertThat(tenants.exists("initech")).isTrue();
        CliResult dropped = cli("drop-tenant", "--tenant", "initech");
        assertThat(dropped.exitCode()).as(dropped.err()).isZero();
        assertThat(dropped.out()).contains("tenant initech: database initech dropped");
        assertThat(tenants.exists("initech")).isFalse();
        assertThat(tenants.jdbc().queryForList("SELECT tenant FROM pgturso_tenants ORDER BY 1", String.class))
                .containsExactly("acme", "globex");
        assertThat(cli("verify").exitCode()).isZero();
        assertThat(cli("drop-tenant", "--tenant", "initech").err()).contains("Tenant 'initech' has no database");
    }

    @Test
    void resync_of_every_tenant_at_once_writes_into_the_tenant_databases_only() {
        assertThat(cli("once").exitCode()).isZero();
        tenants.tenant("acme").update("DELETE FROM orders");
        CliResult resync = cli("resync", "--table", "orders");
        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(tenants.tenant("acme").queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(1L, 3L);
        assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'orders'", Integer.class))
                .as("nothing of the table is written into the control database").isZero();
    }
}
