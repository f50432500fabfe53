package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.pass.TableRunner;
import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TenantFiles;
import java.nio.file.Path;
import java.util.List;
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
        assertThat(sync.cli("verify").exitCode()).isZero();
    }
}
