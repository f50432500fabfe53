package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TenantFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code resync --table T} of a streamed table with fan-out stopped by a retyped column: every tenant database's table
 * is rebuilt by the command, so the next start copies and streams the table with no table dropped by hand.
 */
@Timeout(180)
class TenantCdcResyncTest {
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");

    @TempDir
    Path dir;

    private TenantFiles tenants;
    private SyncHarness sync;
    private JdbcTemplate pg;
    private String slot;

    @BeforeEach
    void setUp() {
        tenants = new TenantFiles(dir.resolve("tenants"));
        sync = SyncHarness.create(dir, tenants, LogicalPostgres.get().asTestPostgres());
        pg = sync.pg();
        slot = CdcTesting.uniqueSlot();
        CdcTesting.streaming(sync, slot);
        pg.execute("CREATE TABLE accounts (id int PRIMARY KEY, tenant_id text, balance bigint NOT NULL)");
        sync.table("accounts", "table=accounts", "mode=cdc", "fan-out=tenant_id", "batchSize=100");
    }

    @AfterEach
    void tearDown() {
        sync.close();
        CdcTesting.dropSlot(pg, slot);
    }

    private List<String> rows(String database) {
        return tenants.tenant(database).queryForList("SELECT id || ':' || balance FROM accounts ORDER BY id", String.class);
    }

    private List<String> postgresRows(String tenant) {
        return pg.queryForList("SELECT id || ':' || balance FROM accounts WHERE tenant_id = ? ORDER BY id", String.class, tenant);
    }

    private String declaredType(String database) {
        return tenants.declaredType(database, "accounts", "balance");
    }

    private void awaitTenantsEqualPostgres() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
            for (String tenant : TENANTS) {
                assertThat(rows(tenant)).as("rows of " + tenant).isEqualTo(postgresRows(tenant));
            }
        });
    }

    @Test
    void resync_rebuilds_the_retyped_table_in_every_tenant_database_and_the_next_start_copies_and_streams_it() {
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10), (2, 'globex', 20), (3, 'initech', 30), (4, 'acme', 40)");
        CdcTesting.startStreaming(sync);
        awaitTenantsEqualPostgres();

        pg.execute("ALTER TABLE accounts ALTER COLUMN balance TYPE text");
        pg.update("UPDATE accounts SET balance = 'eleven' WHERE id = 1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.jdbc().queryForList(
                "SELECT stopped FROM pgturso_cdc_tables WHERE sync_table = 'accounts'", String.class))
                .singleElement().asString().contains("must be rebuilt").contains("resync --table accounts"));
        sync.stop();
        pg.update("DELETE FROM accounts WHERE id = 4");

        CliResult resync = sync.cli("resync", "--table", "accounts");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        for (String tenant : TENANTS) {
            assertThat(declaredType(tenant)).as("declared type in " + tenant).isEqualTo("TEXT");
        }
        assertThat(resync.out()).contains("accounts: target table accounts rebuilt with the types Postgres maps to in 3 tenant databases");
        assertThat(rows("acme")).as("readers keep the rows until the copy").containsExactly("1:10", "4:40");

        CdcTesting.startStreaming(sync);
        awaitTenantsEqualPostgres();
        assertThat(rows("acme")).containsExactly("1:eleven");
        pg.update("INSERT INTO accounts VALUES (5, 'globex', 'five')");
        pg.update("UPDATE accounts SET balance = 'thirty' WHERE id = 3");
        awaitTenantsEqualPostgres();
        assertThat(rows("globex")).containsExactly("2:20", "5:five");
        assertThat(tenants.tenant("initech").queryForList("SELECT typeof(balance) FROM accounts", String.class))
                .containsExactly("text");
    }

    @Test
    void resync_of_one_tenant_of_a_streamed_table_is_still_refused() {
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10)");
        CliResult one = sync.cli("resync", "--table", "accounts", "--tenant", "acme");
        assertThat(one.exitCode()).isNotZero();
        assertThat(one.err()).contains("without --tenant");
    }
}
