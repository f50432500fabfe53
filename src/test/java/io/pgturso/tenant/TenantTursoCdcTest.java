package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.FakeTursoPlatform;
import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A table with fan-out in cdc mode on Turso: the libSQL test server serving a database per host name, new tenants
 * created through the Platform API (a fake that follows its reference), each tenant's part of a transaction in one
 * transaction of its database over Hrana.
 */
@Timeout(180)
class TenantTursoCdcTest {
    private static final String GROUP_TOKEN = "group-token";
    private static final String API_TOKEN = "platform-token";

    @TempDir
    Path dir;

    private LibsqlTestServer turso;
    private FakeTursoPlatform platform;
    private SyncHarness sync;
    private JdbcTemplate pg;
    private String slot;

    @BeforeEach
    void setUp() {
        turso = LibsqlTestServer.hosts(dir.resolve("turso")).token(GROUP_TOKEN);
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
        }, LogicalPostgres.get().asTestPostgres());
        sync.property("sync.fan-out.org", "acme").property("sync.fan-out.group", "tenants")
                .property("sync.fan-out.api-url", platform.url())
                .env("TURSO_AUTH_TOKEN", GROUP_TOKEN).env("TURSO_API_TOKEN", API_TOKEN);
        slot = CdcTesting.uniqueSlot();
        CdcTesting.streaming(sync, slot);
        pg = sync.pg();
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text, amount bigint)");
        sync.table("orders", "table=orders", "mode=cdc", "fan-out=tenant_id");
    }

    @AfterEach
    void tearDown() {
        sync.close();
        platform.close();
        turso.close();
        turso.proxyProperties().keySet().forEach(System::clearProperty);
        CdcTesting.dropSlot(pg, slot);
    }

    private JdbcTemplate file(String database) {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + platform.file(database));
        ds.getConfig().setBusyTimeout(30_000);
        return new JdbcTemplate(ds);
    }

    private void awaitIds(String database, Long... ids) {
        // the database is created before its table: a query in between finds no table yet
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(org.springframework.dao.DataAccessException.class).untilAsserted(() -> {
            assertThat(platform.created()).contains(database);
            assertThat(file(database).queryForList("SELECT id FROM orders ORDER BY id", Long.class)).containsExactly(ids);
        });
    }

    @Test
    void a_transaction_touching_two_tenants_lands_in_each_and_a_new_tenant_is_created_through_the_platform_api() {
        pg.update("INSERT INTO orders VALUES (1, 'acme', 10), (2, 'globex', 20)");
        CdcTesting.startStreaming(sync);
        awaitIds("acme", 1L);
        awaitIds("globex", 2L);

        pg.execute("BEGIN; INSERT INTO orders VALUES (3, 'initech', 30); UPDATE orders SET amount = 11 WHERE id = 1; "
                + "UPDATE orders SET tenant_id = 'initech' WHERE id = 2; COMMIT");
        awaitIds("initech", 2L, 3L);
        awaitIds("globex");
        assertThat(file("acme").queryForObject("SELECT amount FROM orders WHERE id = 1", Long.class)).isEqualTo(11L);
        assertThat(platform.created()).containsExactlyInAnyOrder("pgturso-control", "acme", "globex", "initech");

        pg.update("DELETE FROM orders WHERE id = 3");
        awaitIds("initech", 2L);
        for (String database : new String[] {"acme", "initech"}) {
            assertThat(file(database).queryForList("SELECT slot FROM pgturso_cdc", String.class)).containsExactly(slot);
        }
    }
}
