package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
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

/** {@code replay} of a table with fan-out: each dead-lettered row written again into its tenant's own database. */
@Timeout(180)
class TenantReplayTest {
    private static final String REFUSE_13 = "CREATE TRIGGER no_thirteen BEFORE INSERT ON orders WHEN NEW.amount = '13.00' "
            + "BEGIN SELECT RAISE(ABORT, 'unlucky amount'); END";

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
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'globex', 20)");
        sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id");
        assertThat(sync.cli("once").exitCode()).isZero();
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private List<Long> ids(String database) {
        return tenants.tenant(database).queryForList("SELECT id FROM orders ORDER BY id", Long.class);
    }

    private List<Map<String, Object>> letters() {
        return tenants.jdbc().queryForList("SELECT row_key, stage, error, attempts, tenant_database FROM pgturso_dead_letters "
                + "ORDER BY row_key");
    }

    private List<String> indexed(String key) {
        return tenants.jdbc().queryForList("SELECT tenant_database FROM pgturso_tenant_keys WHERE row_key = ? ORDER BY 1",
                String.class, key);
    }

    @Test
    void a_dead_lettered_row_is_replayed_into_its_tenants_database() {
        tenants.tenant("acme").execute(REFUSE_13);
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (3, 'acme', 13)");
        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(letters()).singleElement().satisfies(l -> assertThat(l).containsEntry("tenant_database", "acme"));
        tenants.tenant("acme").execute("DROP TRIGGER no_thirteen");

        CliResult replay = sync.cli("replay", "--table", "orders");

        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("Replay: 1 rows written, 0 failed again, 0 no longer in Postgres");
        assertThat(ids("acme")).containsExactly(1L, 3L);
        assertThat(ids("globex")).containsExactly(2L);
        assertThat(letters()).isEmpty();
        assertThat(indexed("{\"id\":\"3\"}")).containsExactly("acme");
        assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'orders'", Integer.class))
                .as("nothing of the table is written into the control database").isZero();
        CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    @Test
    void a_row_whose_tenant_changed_since_it_failed_is_replayed_into_its_new_tenants_database_and_leaves_the_old_one() {
        tenants.jdbc().update("INSERT INTO pgturso_dead_letters (sync_table, row_key, stage, error, row_json, attempts, "
                + "first_failed_at, last_failed_at, tenant_database) VALUES ('orders', '{\"id\":\"1\"}', 'write', 'refused', "
                + "NULL, 1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'acme')");
        pg.update("UPDATE orders SET tenant_id = 'initech', amount = 11, updated_at = clock_timestamp() WHERE id = 1");

        CliResult replay = sync.cli("replay");

        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(ids("initech")).as("a new tenant's database is created").containsExactly(1L);
        assertThat(ids("acme")).as("the row left its old tenant's database").isEmpty();
        assertThat(indexed("{\"id\":\"1\"}")).containsExactly("initech");
        assertThat(letters()).isEmpty();

        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(ids("initech")).containsExactly(1L);
        assertThat(ids("acme")).isEmpty();
        CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    @Test
    void a_replayed_row_its_tenants_database_refuses_again_keeps_its_dead_letter_naming_that_database() {
        tenants.tenant("globex").execute(REFUSE_13);
        tenants.tenant("globex").execute(REFUSE_13.replace("no_thirteen BEFORE INSERT", "no_thirteen_again BEFORE UPDATE"));
        pg.update("UPDATE orders SET amount = 13, updated_at = clock_timestamp() WHERE id = 2");
        assertThat(sync.cli("once").exitCode()).isZero();

        CliResult replay = sync.cli("replay", "--table", "orders");

        assertThat(replay.exitCode()).isEqualTo(App.FAILED);
        assertThat(replay.out()).contains("Replay: 0 rows written, 1 failed again");
        assertThat(letters()).singleElement().satisfies(l -> assertThat(l).containsEntry("stage", "write")
                .containsEntry("attempts", 2).containsEntry("tenant_database", "globex"));
        assertThat((String) letters().get(0).get("error")).contains("unlucky amount");
        assertThat(tenants.tenant("globex").queryForObject("SELECT amount FROM orders WHERE id = 2", String.class))
                .isEqualTo("20.00");
    }
}
