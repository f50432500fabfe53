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

/** A control database whose key index is in the first layout (text in every entry) keeps working once the sync starts. */
@Timeout(180)
class TenantKeyIndexMoveTest {
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
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'globex', 20), (3, 'acme', 30)");
        sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private List<Long> ids(String database) {
        return tenants.tenant(database).queryForList("SELECT id FROM orders ORDER BY id", Long.class);
    }

    /** Puts the control database's key index back into the first layout, with the entries it holds. */
    private void firstLayout() {
        JdbcTemplate control = tenants.jdbc();
        List<Map<String, Object>> entries = control.queryForList("SELECT sync_table, row_key, tenant_database FROM pgturso_tenant_keys");
        assertThat(entries).hasSize(3);
        control.execute("DROP VIEW pgturso_tenant_keys");
        control.execute("DROP TABLE " + TenantKeys.TABLE);
        control.execute("DROP TABLE " + TenantKeys.COPIED);
        control.execute("DROP TABLE " + KeyCodes.TABLES);
        control.execute("DROP TABLE " + KeyCodes.DATABASES);
        control.execute("CREATE TABLE pgturso_tenant_keys (sync_table TEXT NOT NULL, row_key TEXT NOT NULL, "
                + "tenant_database TEXT NOT NULL, PRIMARY KEY (sync_table, row_key, tenant_database)) WITHOUT ROWID");
        entries.forEach(e -> control.update("INSERT INTO pgturso_tenant_keys VALUES (?, ?, ?)", e.get("sync_table"),
                e.get("row_key"), e.get("tenant_database")));
    }

    @Test
    void a_row_moved_to_another_tenant_leaves_the_database_an_index_of_the_first_layout_named() {
        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(ids("globex")).containsExactly(2L);
        firstLayout();

        pg.update("UPDATE orders SET tenant_id = 'acme', updated_at = clock_timestamp() WHERE id = 2");
        SyncHarness.CliResult once = sync.cli("once");
        assertThat(once.exitCode()).as(once.err()).isZero();

        assertThat(ids("acme")).containsExactly(1L, 2L, 3L);
        assertThat(ids("globex")).isEmpty();
        assertThat(tenants.jdbc().queryForList("SELECT tenant_database FROM pgturso_tenant_keys WHERE row_key = '{\"id\":\"2\"}'",
                String.class)).containsExactly("acme");
        assertThat(tenants.jdbc().queryForObject("SELECT type FROM sqlite_master WHERE name = 'pgturso_tenant_keys'",
                String.class)).isEqualTo("view");
    }
}
