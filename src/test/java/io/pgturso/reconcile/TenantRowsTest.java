package io.pgturso.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.source.TableSpec;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TenantFiles;
import io.pgturso.verify.ComparedKey;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The rows a reconciliation deletes from a tenant database: each only while the database holds the version read. */
@Timeout(120)
class TenantRowsTest {
    @TempDir
    Path dir;

    @Test
    void a_delete_applies_only_while_the_tenant_database_still_holds_the_version_that_was_read() throws Exception {
        TenantFiles tenants = new TenantFiles(dir.resolve("tenants"));
        try (SyncHarness sync = SyncHarness.create(dir, tenants)) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text NOT NULL, "
                    + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            sync.pg().update("INSERT INTO orders (id, tenant_id) SELECT g, 'acme' FROM generate_series(1, 5) g");
            sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id");
            sync.start();
            assertThat(sync.runOnce("orders")).isTrue();
            TableSpec spec = sync.spec("orders");
            SQLiteDataSource acme = new SQLiteDataSource();
            acme.setUrl("jdbc:sqlite:" + dir.resolve("tenants").resolve("acme.db"));

            TenantRows rows = TenantRows.read(spec, acme, List.of(ComparedKey.of(2L), ComparedKey.of(3L), ComparedKey.of(9L)));
            // the row was deleted and inserted again in Postgres, and its new version written after the read
            tenants.tenant("acme").update("UPDATE orders SET updated_at = '2999-01-01T00:00:00.000000Z' WHERE id = 3");

            assertThat(rows.delete()).isEqualTo(1);
            assertThat(rows.changed()).containsExactly(ComparedKey.of(3L));
            assertThat(ids(acme)).containsExactly(1L, 3L, 4L, 5L);
        }
    }

    private static List<Long> ids(DataSource database) {
        return new org.springframework.jdbc.core.JdbcTemplate(database).queryForList("SELECT id FROM orders ORDER BY id", Long.class);
    }
}
