package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TenantFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** A table with fan-out into one local file per tenant: each tenant's rows in its own database, and nowhere else. */
@Timeout(120)
class TenantFilesTest {
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
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text, amount numeric(10, 2), status text, "
                + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        pg.execute("CREATE TABLE plans (id int PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO plans VALUES (1, 'free'), (2, 'pro')");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private void ordersFanOut(String... more) {
        String[] settings = new String[3 + more.length];
        settings[0] = "table=orders";
        settings[1] = "cursor=updated_at";
        settings[2] = "fan-out=tenant_id";
        System.arraycopy(more, 0, settings, 3, more.length);
        sync.table("orders", settings);
        sync.table("plans", "table=plans", "cursor=updated_at");
    }

    private List<Map<String, Object>> orders(String database) {
        return tenants.tenant(database).queryForList("SELECT id, tenant_id, amount FROM orders ORDER BY id");
    }

    @Test
    void each_tenants_rows_land_in_its_own_database_and_nowhere_else() {
        ordersFanOut();
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'globex', 20), (3, 'acme', 30), "
                + "(4, 'Umbrella Corp', 40)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        assertThat(sync.runOnce("plans")).isTrue();

        String umbrella = TenantNames.databaseName("Umbrella Corp");
        assertThat(umbrella).startsWith("umbrella-corp--").hasSize("umbrella-corp--".length() + 12);
        assertThat(tenants.databases()).containsExactlyInAnyOrder("acme", "globex", umbrella);
        assertThat(orders("acme")).extracting(r -> r.get("id")).containsExactly(1, 3);
        assertThat(orders("globex")).extracting(r -> r.get("id")).containsExactly(2);
        assertThat(orders(umbrella)).extracting(r -> r.get("tenant_id")).containsExactly("Umbrella Corp");
        // the table without fan-out, the checkpoints and the registry are in the control database; no tenant has plans
        assertThat(tenants.jdbc().queryForList("SELECT name FROM plans ORDER BY id", String.class)).containsExactly("free", "pro");
        assertThat(tenants.jdbc().queryForList("SELECT sync_table FROM pgturso_checkpoints ORDER BY 1", String.class))
                .containsExactly("orders", "plans");
        assertThat(tenants.jdbc().queryForList("SELECT tenant FROM pgturso_tenants ORDER BY tenant", String.class))
                .containsExactly("Umbrella Corp", "acme", "globex");
        assertThat(tenants.tenant("acme").queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'plans'", Integer.class))
                .isZero();
        assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'orders'", Integer.class))
                .as("the table with fan-out is only in the tenants' databases").isZero();
    }

    @Test
    void a_row_whose_tenant_changes_leaves_the_old_tenants_database() {
        ordersFanOut();
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'acme', 20)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        pg.update("UPDATE orders SET tenant_id = 'globex', updated_at = clock_timestamp() WHERE id = 2");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(orders("acme")).extracting(r -> r.get("id")).containsExactly(1);
        assertThat(orders("globex")).extracting(r -> r.get("id")).containsExactly(2);
        // and back again
        pg.update("UPDATE orders SET tenant_id = 'acme', updated_at = clock_timestamp() WHERE id = 2");
        assertThat(sync.runOnce("orders")).isTrue();
        assertThat(orders("acme")).extracting(r -> r.get("id")).containsExactly(1, 2);
        assertThat(orders("globex")).isEmpty();
        assertThat(tenants.jdbc().queryForList("SELECT tenant_database FROM pgturso_tenant_keys WHERE row_key = '{\"id\":\"2\"}'",
                String.class)).containsExactly("acme");
    }

    @Test
    void a_tenant_whose_rows_are_all_gone_keeps_its_database() {
        ordersFanOut();
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'initech', 10)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        pg.update("UPDATE orders SET tenant_id = 'acme', updated_at = clock_timestamp() WHERE id = 1");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(tenants.exists("initech")).isTrue();
        assertThat(orders("initech")).isEmpty();
        assertThat(tenants.jdbc().queryForList("SELECT tenant FROM pgturso_tenants ORDER BY 1", String.class))
                .containsExactly("acme", "initech");
    }

    @Test
    void soft_deleted_rows_and_rows_leaving_the_where_filter_leave_their_tenants_database() {
        pg.execute("ALTER TABLE orders ADD COLUMN deleted_at timestamptz");
        ordersFanOut("softDelete=deleted_at", "where=status IS DISTINCT FROM 'draft'");
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'acme', 20), (3, 'globex', 30)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        pg.update("UPDATE orders SET deleted_at = now(), updated_at = clock_timestamp() WHERE id = 1");
        pg.update("UPDATE orders SET status = 'draft', updated_at = clock_timestamp() WHERE id = 3");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(orders("acme")).extracting(r -> r.get("id")).containsExactly(2);
        assertThat(orders("globex")).isEmpty();
    }

    @Test
    void a_row_without_tenant_and_a_row_its_tenants_database_refuses_are_dead_lettered() {
        ordersFanOut();
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        tenants.tenant("acme").execute("CREATE TRIGGER no_thirteen BEFORE INSERT ON orders WHEN NEW.amount = '13.00' "
                + "BEGIN SELECT RAISE(ABORT, 'unlucky amount'); END");
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (2, NULL, 5), (3, 'acme', 13), (4, 'acme', 14)");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(orders("acme")).extracting(r -> r.get("id")).containsExactly(1, 4);
        List<Map<String, Object>> letters = tenants.jdbc().queryForList(
                "SELECT row_key, stage, error, tenant_database FROM pgturso_dead_letters ORDER BY row_key");
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0)).containsEntry("row_key", "{\"id\":\"2\"}").containsEntry("stage", "transform");
        assertThat((String) letters.get(0).get("error")).contains("fanOut (tenant_id) is NULL");
        assertThat(letters.get(1)).containsEntry("row_key", "{\"id\":\"3\"}").containsEntry("stage", "write")
                .containsEntry("tenant_database", "acme");
        assertThat((String) letters.get(1).get("error")).contains("unlucky amount");
    }

    @Test
    void a_row_hook_sees_every_tenants_rows() {
        ordersFanOut("transform=direct:size-of", "addColumns=size:TEXT");
        writeHook();
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'globex', 20)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(tenants.tenant("acme").queryForObject("SELECT size FROM orders WHERE id = 1", String.class)).isEqualTo("small");
        assertThat(tenants.tenant("globex").queryForObject("SELECT size FROM orders WHERE id = 2", String.class)).isEqualTo("large");
    }

    @Test
    void more_tenants_than_may_be_open_at_once_are_written_with_at_most_that_many_open() {
        sync.property("sync.fan-out.max-open", "2");
        ordersFanOut("batchSize=100");
        pg.update("INSERT INTO orders (id, tenant_id, amount) SELECT g, 't' || (g % 7), g FROM generate_series(1, 700) g");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();

        TenantDatabases open = sync.app().camel().getRegistry().lookupByNameAndType("tenantDatabases", TenantDatabases.class);
        assertThat(open.openCount()).isLessThanOrEqualTo(2);
        assertThat(open.openedCount()).as("databases opened again after being closed").isGreaterThan(7);
        for (int t = 0; t < 7; t++) {
            assertThat(tenants.tenant("t" + t).queryForObject("SELECT count(*) FROM orders", Integer.class)).isEqualTo(100);
        }
    }

    private void writeHook() {
        try {
            java.nio.file.Files.writeString(dir.resolve("routes/size-of.camel.yaml"), """
                    - route:
                        id: size-of
                        routeConfigurationId: row-hook
                        from:
                          uri: direct:size-of
                          steps:
                            - choice:
                                when:
                                  - simple:
                                      expression: "${body[tenant_id]} == 'acme'"
                                    steps:
                                      - setHeader:
                                          name: size
                                          constant:
                                            expression: small
                                otherwise:
                                  steps:
                                    - setHeader:
                                        name: size
                                        constant:
                                          expression: large
                    """);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
