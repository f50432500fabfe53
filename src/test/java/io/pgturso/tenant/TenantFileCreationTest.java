package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.source.TableSpec;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TenantFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** New tenant files (copies of one made once with every fan-out table): complete, private, and never over a file that exists. */
@Timeout(120)
class TenantFileCreationTest {
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
        pg.execute("CREATE TABLE invoices (id bigint PRIMARY KEY, tenant_id text, total numeric(10, 2), "
                + "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id");
        sync.table("invoices", "table=invoices", "cursor=updated_at", "fan-out=tenant_id");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    @Test
    void a_new_tenant_file_holds_every_fan_out_table_in_wal_mode_and_is_readable_by_its_owner_only() throws Exception {
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10), (2, 'globex', 20)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();

        for (String tenant : new String[] {"acme", "globex"}) {
            JdbcTemplate db = tenants.tenant(tenant);
            assertThat(db.queryForList("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", String.class))
                    .containsExactly("invoices", "orders");
            assertThat(db.queryForObject("PRAGMA journal_mode", String.class)).isEqualToIgnoringCase("wal");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tenants/" + tenant + ".db"))))
                    .isEqualTo("rw-------");
        }
        assertThat(tenants.tenant("acme").queryForList("SELECT id FROM orders", Long.class)).containsExactly(1L);
        try (Stream<Path> files = Files.list(dir.resolve("tenants"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("pgturso-new"));
        }
        // the second table's rows go into the tables the copy brought
        pg.update("INSERT INTO invoices (id, tenant_id, total) VALUES (7, 'acme', 70)");
        assertThat(sync.runOnce("invoices")).isTrue();
        assertThat(tenants.tenant("acme").queryForList("SELECT id FROM invoices", Long.class)).containsExactly(7L);
    }

    @Test
    void a_file_that_exists_before_its_tenant_is_registered_keeps_what_it_holds() throws Exception {
        Files.createDirectories(dir.resolve("tenants"));
        tenants.tenant("acme").execute("CREATE TABLE notes (text TEXT)");
        tenants.tenant("acme").update("INSERT INTO notes VALUES ('kept')");
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'acme', 10)");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();

        JdbcTemplate acme = tenants.tenant("acme");
        assertThat(acme.queryForList("SELECT text FROM notes", String.class)).containsExactly("kept");
        assertThat(acme.queryForList("SELECT id FROM orders", Long.class)).containsExactly(1L);
        assertThat(acme.queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'invoices'", Integer.class)).isOne();
    }

    @Test
    void a_new_tenant_files_first_write_skips_the_sync_of_its_new_wal_and_every_later_one_is_synced_as_before() {
        pg.update("INSERT INTO orders (id, tenant_id, amount) VALUES (1, 'globex', 20)");
        sync.start();
        TenantDatabases databases = sync.app().camel().getRegistry().lookupByNameAndType("tenantDatabases", TenantDatabases.class);
        TableSpec orders = sync.spec("orders");
        assertThat(databases.prepare("acme", "acme", orders, () -> List.of(orders, sync.spec("invoices")))).isTrue();

        JdbcTemplate acme = new JdbcTemplate(databases.dataSource("acme"));
        // PRAGMA synchronous: 0 OFF, 1 NORMAL
        assertThat(acme.queryForObject("PRAGMA synchronous", Integer.class)).as("its first loan").isZero();
        assertThat(acme.queryForObject("PRAGMA synchronous", Integer.class)).as("the next one").isOne();
        // a pass's first write into a new tenant's file leaves its connection (kept open) at NORMAL
        assertThat(sync.runOnce("orders")).isTrue();
        assertThat(new JdbcTemplate(databases.dataSource("globex")).queryForObject("PRAGMA synchronous", Integer.class)).isOne();
        assertThat(tenants.tenant("globex").queryForList("SELECT id FROM orders", Long.class)).containsExactly(1L);
    }
}
