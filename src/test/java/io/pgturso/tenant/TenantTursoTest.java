package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.testing.FakeTursoPlatform;
import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database per tenant on Turso: new tenant databases are created through the Platform API (a fake that follows its
 * reference) and written through their own host names ({@code {tenant}-acme.turso.test}) on a libSQL test server that
 * serves many databases by host name, with one group token.
 */
@Timeout(120)
class TenantTursoTest {
    private static final String GROUP_TOKEN = "group-token";
    private static final String API_TOKEN = "platform-token";

    @TempDir
    Path dir;

    private LibsqlTestServer turso;
    private FakeTursoPlatform platform;
    private SyncHarness sync;
    private JdbcTemplate pg;

    @BeforeEach
    void setUp() {
        turso = LibsqlTestServer.hosts(dir.resolve("turso")).token(GROUP_TOKEN);
        // Java's HTTP clients reach every non-loopback http host through the test server, which tells them apart by name
        turso.proxyProperties().forEach(System::setProperty);
        platform = FakeTursoPlatform.start("acme", API_TOKEN, Set.of("tenants"), turso, "turso.test");
        sync = SyncHarness.create(dir, new TestTarget() {
            @Override
            public String url() {
                return "http://{tenant}-acme.turso.test?allowTokenOverHttp=true";
            }

            @Override
            public JdbcTemplate jdbc() {
                return file("pgturso-control");
            }

            @Override
            public void close() {
            }
        });
        sync.property("sync.fan-out.org", "acme").property("sync.fan-out.group", "tenants")
                .property("sync.fan-out.api-url", platform.url())
                .env("TURSO_AUTH_TOKEN", GROUP_TOKEN).env("TURSO_API_TOKEN", API_TOKEN);
        pg = sync.pg();
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text, amount numeric(10, 2), "
                + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        pg.execute("CREATE TABLE plans (id int PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO plans VALUES (1, 'free')");
        sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id");
        sync.table("plans", "table=plans", "cursor=updated_at");
    }

    @AfterEach
    void tearDown() {
        sync.close();
        platform.close();
        turso.close();
        turso.proxyProperties().keySet().forEach(System::clearProperty);
    }

    private JdbcTemplate file(String database) {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + platform.file(database));
        ds.getConfig().setBusyTimeout(30_000);
        return new JdbcTemplate(ds);
    }

    @Test
    void new_tenants_get_a_database_created_through_the_platform_api_and_written_through_its_host_name() {
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'Umbrella Corp', 20), (3, 'acme', 30)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        assertThat(sync.runOnce("plans")).isTrue();

        String umbrella = TenantNames.databaseName("Umbrella Corp");
        assertThat(platform.created()).containsExactlyInAnyOrder("pgturso-control", "acme", umbrella);
        assertThat(file("acme").queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(1L, 3L);
        assertThat(file(umbrella).queryForList("SELECT tenant_id FROM orders", String.class)).containsExactly("Umbrella Corp");
        assertThat(file("pgturso-control").queryForList("SELECT name FROM plans", String.class)).containsExactly("free");

        // a later tenant is created by a later pass; the known ones are not asked for again
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (4, 'globex', 40), (5, 'acme', 50)");
        assertThat(sync.runOnce("orders")).isTrue();
        assertThat(platform.created()).containsExactlyInAnyOrder("pgturso-control", "acme", umbrella, "globex");
        assertThat(platform.requests()).filteredOn(r -> r.startsWith("POST")).hasSize(4);
        assertThat(file("globex").queryForList("SELECT id FROM orders", Long.class)).containsExactly(4L);
    }

    @Test
    void a_row_that_moves_leaves_the_old_tenants_database_which_is_dropped_only_by_drop_tenant() {
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'initech', 20)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        pg.update("UPDATE orders SET tenant_id = 'acme', updated_at = clock_timestamp() WHERE id = 2");
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(file("acme").queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(1L, 2L);
        assertThat(file("initech").queryForList("SELECT id FROM orders", Long.class)).isEmpty();
        sync.stop();

        SyncHarness.CliResult dropped = sync.cli("drop-tenant", "--tenant", "initech");
        assertThat(dropped.exitCode()).as(dropped.err()).isZero();
        assertThat(platform.requests()).contains("DELETE /v1/organizations/acme/databases/initech 200");
        assertThat(platform.file("initech")).doesNotExist();
        SyncHarness.CliResult verify = sync.cli("verify", "--table", "orders");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void resync_of_every_tenant_rebuilds_a_retyped_column_in_each_tenants_turso_database_and_copies_every_row_again() {
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'globex', 20), (3, 'acme', 30), "
                + "(4, 'initech', 40)");
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.execute("ALTER TABLE orders ALTER COLUMN amount TYPE bigint USING amount * 100");
        pg.update("DELETE FROM orders WHERE id = 3");

        SyncHarness.CliResult resync = sync.cli("resync", "--table", "orders");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(resync.out()).contains("rebuilt with the types Postgres maps to in 3 tenant databases",
                "1 rows no longer in Postgres deleted");
        for (String tenant : new String[] {"acme", "globex", "initech"}) {
            assertThat(file(tenant).queryForObject("SELECT type FROM pragma_table_info('orders') WHERE name = 'amount'",
                    String.class)).as(tenant).isEqualTo("INTEGER");
            assertThat(file(tenant).queryForList("SELECT id || ':' || amount FROM orders ORDER BY id", String.class)).as(tenant)
                    .isEqualTo(pg.queryForList("SELECT id || ':' || amount FROM orders WHERE tenant_id = ? ORDER BY id",
                            String.class, tenant));
        }
        SyncHarness.CliResult verify = sync.cli("verify", "--table", "orders");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void resync_of_one_tenant_and_replay_into_a_new_tenant_write_through_the_tenants_host_names() {
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'globex', 20), (3, 'acme', 30)");
        assertThat(sync.cli("once").exitCode()).isZero();
        file("acme").update("DELETE FROM orders WHERE id = 3");
        file("acme").update("INSERT INTO orders (id, tenant_id, amount, updated_at) VALUES (9, 'acme', 90, '2020-01-01T00:00:00Z')");

        SyncHarness.CliResult resync = sync.cli("resync", "--table", "orders", "--tenant", "acme");
        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(file("acme").queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(1L, 3L);

        // a dead letter of a row whose tenant changed since: replayed into the new tenant's database, created for it
        file("pgturso-control").update("INSERT INTO pgturso_dead_letters (sync_table, row_key, stage, error, row_json, attempts, "
                + "first_failed_at, last_failed_at, tenant_database) VALUES ('orders', '{\"id\":\"2\"}', 'write', 'refused', "
                + "NULL, 1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'globex')");
        pg.update("UPDATE orders SET tenant_id = 'hooli', updated_at = clock_timestamp() WHERE id = 2");
        SyncHarness.CliResult replay = sync.cli("replay", "--table", "orders");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(platform.created()).contains("hooli");
        assertThat(file("hooli").queryForList("SELECT id FROM orders", Long.class)).containsExactly(2L);
        assertThat(file("globex").queryForList("SELECT id FROM orders", Long.class)).isEmpty();
        SyncHarness.CliResult verify = sync.cli("verify", "--table", "orders");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void once_deletes_the_rows_deleted_in_postgres_from_the_tenant_databases_through_their_host_names() {
        pg.update("INSERT INTO orders (id, tenant_id, amount) SELECT g, (ARRAY['acme', 'globex', 'initech'])[g % 3 + 1], g "
                + "FROM generate_series(1, 12) g");
        sync.property("sync.reconcile.enabled", "true").property("sync.reconcile.chunk-size", "5");
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.update("DELETE FROM orders WHERE id IN (1, 3, 6, 11)");

        SyncHarness.CliResult once = sync.cli("once");

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        assertThat(once.out()).contains("orders: 4 rows deleted as gone from Postgres");
        assertThat(file("acme").queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(9L, 12L);
        assertThat(file("globex").queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(4L, 7L, 10L);
        assertThat(file("initech").queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(2L, 5L, 8L);
        SyncHarness.CliResult verify = sync.cli("verify", "--table", "orders");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void a_mass_delete_is_reconciled_in_a_few_requests_per_chunk_and_tenant_database_not_one_per_row() {
        int rows = 200;
        pg.update("INSERT INTO orders (id, tenant_id, amount) SELECT g, (ARRAY['acme', 'globex'])[g % 2 + 1], g "
                + "FROM generate_series(1, " + rows + ") g");
        sync.property("sync.reconcile.enabled", "true").property("sync.reconcile.chunk-size", "100");
        assertThat(sync.cli("once").exitCode()).isZero();
        // what a run with nothing to delete asks of the libSQL server (passes, the key index's chunks)
        long before = turso.requests();
        assertThat(sync.cli("once").exitCode()).isZero();
        long nothingToDelete = turso.requests() - before;
        pg.update("DELETE FROM orders WHERE id > 2");

        before = turso.requests();
        SyncHarness.CliResult once = sync.cli("once");
        long deleting = turso.requests() - before;

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        assertThat(once.out()).contains("orders: " + (rows - 2) + " rows deleted as gone from Postgres");
        assertThat(file("acme").queryForList("SELECT id FROM orders", Long.class)).containsExactly(2L);
        assertThat(file("globex").queryForList("SELECT id FROM orders", Long.class)).containsExactly(1L);
        // 2 chunks x 2 databases: each database's rows of a chunk are read, deleted and forgotten in a few requests
        int chunksTimesDatabases = 2 * 2;
        assertThat(deleting - nothingToDelete).as("requests beyond a run with nothing to delete")
                .isLessThanOrEqualTo(6L * chunksTimesDatabases);
    }

    @Test
    void a_database_that_exists_already_is_used_as_it_is() throws Exception {
        java.nio.file.Files.createFile(platform.file("acme"));
        file("acme").execute("CREATE TABLE notes (body text)");
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();

        assertThat(platform.requests()).contains("POST /v1/organizations/acme/databases 409");
        assertThat(file("acme").queryForList("SELECT id FROM orders", Long.class)).containsExactly(1L);
        assertThat(file("acme").queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'notes'", Integer.class)).isOne();
    }

    @Test
    void a_wrong_platform_token_stops_the_start_naming_the_setting_to_fix() {
        sync.env("TURSO_API_TOKEN", "expired");
        assertThatThrownBy(() -> sync.start()).hasStackTraceContaining("HTTP 401")
                .hasStackTraceContaining("set TURSO_API_TOKEN (or sync.fan-out.api-token)");
        assertThat(platform.created()).isEmpty();
    }

    @Test
    void an_unreachable_platform_api_is_reported_with_its_url() {
        sync.property("sync.fan-out.api-url", "http://127.0.0.1:9");
        assertThatThrownBy(() -> sync.start()).hasStackTraceContaining("Turso Platform API at http://127.0.0.1:9 not reached")
                .hasStackTraceContaining("check sync.fan-out.api-url");
    }

    @Test
    void missing_turso_settings_stop_the_start_naming_each() {
        sync.property("sync.fan-out.group", "").env("TURSO_API_TOKEN", "");
        assertThatThrownBy(() -> sync.start()).hasStackTraceContaining("sync.fan-out.group is not set")
                .hasStackTraceContaining("TURSO_API_TOKEN (or sync.fan-out.api-token) is not set");
    }
}
