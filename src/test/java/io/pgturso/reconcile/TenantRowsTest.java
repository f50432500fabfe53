package io.pgturso.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.source.TableSpec;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TenantFiles;
import io.pgturso.verify.ComparedKey;
import io.pgturso.libsql.jdbc.LibsqlDataSource;
import io.pgturso.testing.TursoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
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

    @Test
    void more_keys_than_one_statement_reads_are_each_found_exactly_as_stored_in_a_file_and_in_tursodb() throws Exception {
        TenantFiles tenants = new TenantFiles(dir.resolve("tenants"));
        try (SyncHarness sync = SyncHarness.create(dir, tenants)) {
            sync.pg().execute("CREATE TABLE items (shop bigint, code text, tenant_id text NOT NULL, "
                    + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (shop, code))");
            sync.pg().update("INSERT INTO items (shop, code, tenant_id) VALUES (-1, 'x', 'acme')");
            sync.table("items", "table=items", "cursor=updated_at", "fan-out=tenant_id");
            sync.start();
            assertThat(sync.runOnce("items")).isTrue();
            TableSpec spec = sync.spec("items");
            Path file = dir.resolve("tenants").resolve("acme.db");
            SQLiteDataSource acme = new SQLiteDataSource();
            acme.setUrl("jdbc:sqlite:" + file);
            JdbcTemplate rows = new JdbcTemplate(acme);
            List<ComparedKey> asked = new ArrayList<>();
            for (long i = 0; i < 1_200; i++) {
                String code = "00" + i % 3;
                rows.update("INSERT INTO items (shop, code, tenant_id, updated_at) VALUES (?, ?, 'acme', ?)", i / 3, code,
                        "2024-01-01T00:00:00." + String.format("%06d", i) + "Z");
                asked.add(ComparedKey.of(i / 3, code));
            }
            // keys the database does not hold: a text key compares as text ('1' is not '001'), and a shop never written
            asked.add(600, ComparedKey.of(0L, "0"));
            asked.add(ComparedKey.of(1L, "1"));
            asked.add(ComparedKey.of(7_000L, "000"));
            // the same database for tursodb: the file with its write-ahead log, where the last commits are
            Path copy = dir.resolve("turso.db");
            Files.copy(file, copy);
            Path log = Path.of(file + "-wal");
            if (Files.exists(log)) {
                Files.copy(log, Path.of(copy + "-wal"));
            }

            assertReadAndDeletedExactly(spec, acme, asked);
            try (TursoServer tursodb = TursoServer.start(copy)) {
                assertReadAndDeletedExactly(spec, new LibsqlDataSource(tursodb.jdbcUrl(), null), asked);
            }
        }
    }

    private static void assertReadAndDeletedExactly(TableSpec spec, DataSource database, List<ComparedKey> asked)
            throws Exception {
        TenantRows rows = TenantRows.read(spec, database, asked);

        assertThat(rows.delete()).isEqualTo(1_200);
        assertThat(rows.changed()).isEmpty();
        assertThat(new JdbcTemplate(database).queryForList("SELECT shop || '/' || code FROM items", String.class))
                .containsExactly("-1/x");
    }

    private static List<Long> ids(DataSource database) {
        return new org.springframework.jdbc.core.JdbcTemplate(database).queryForList("SELECT id FROM orders ORDER BY id", Long.class);
    }
}
