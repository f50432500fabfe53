package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TenantFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A table with fan-out in cdc mode, into one file per tenant: each Postgres transaction's part of a tenant lands in that
 * tenant's database whole, rows that change tenant or are deleted leave the databases the key index names, and a crash
 * between two tenants' commits neither loses nor applies anything twice.
 */
@Timeout(180)
class TenantCdcTest {
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
        pg.execute("CREATE TABLE plans (id int PRIMARY KEY, name text)");
        sync.table("accounts", "table=accounts", "mode=cdc", "fan-out=tenant_id", "batchSize=100")
                .table("plans", "table=plans", "mode=cdc");
    }

    @AfterEach
    void tearDown() {
        sync.close();
        CdcTesting.dropSlot(pg, slot);
    }

    /** The slot's position Postgres was told (confirmed_flush_lsn). */
    private String confirmedInPostgres() {
        return pg.queryForObject("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?", String.class,
                slot);
    }

    private static void assertPostgresToldNoMoreThan(String confirmed, String stored) {
        assertThat(Lsn.compare(Lsn.parse(confirmed), Lsn.parse(stored))).as("Postgres was not told more than the control "
                + "database holds").isLessThanOrEqualTo(0);
    }

    private List<Integer> ids(String database) {
        return tenants.tenant(database).queryForList("SELECT id FROM accounts ORDER BY id", Integer.class);
    }

    private void awaitIds(String database, Integer... ids) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(tenants.exists(database)).as("database " + database).isTrue();
            assertThat(ids(database)).as("rows of " + database).containsExactly(ids);
        });
    }

    private List<String> indexed(int id) {
        return tenants.jdbc().queryForList("SELECT tenant_database FROM pgturso_tenant_keys WHERE sync_table = 'accounts' "
                + "AND row_key = ? ORDER BY 1", String.class, "{\"id\":\"" + id + "\"}");
    }

    @Test
    void rows_existing_at_the_start_are_copied_into_their_tenants_then_a_transaction_touching_two_tenants_lands_in_each() {
        pg.update("INSERT INTO accounts SELECT g, CASE WHEN g % 2 = 0 THEN 'acme' ELSE 'globex' END, 100 "
                + "FROM generate_series(1, 250) g");
        pg.update("INSERT INTO plans VALUES (1, 'free')");
        CdcTesting.startStreaming(sync);
        assertThat(ids("acme")).hasSize(125).allMatch(id -> id % 2 == 0);
        assertThat(ids("globex")).hasSize(125).allMatch(id -> id % 2 == 1);
        assertThat(indexed(2)).containsExactly("acme");

        pg.execute("BEGIN; INSERT INTO accounts VALUES (1000, 'acme', 5), (1001, 'initech', 6); "
                + "UPDATE accounts SET balance = 7 WHERE id = 1; INSERT INTO plans VALUES (2, 'pro'); COMMIT");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(tenants.exists("initech")).isTrue();
            assertThat(ids("initech")).containsExactly(1001);
        });
        assertThat(tenants.tenant("acme").queryForObject("SELECT balance FROM accounts WHERE id = 1000", Long.class)).isEqualTo(5L);
        assertThat(tenants.tenant("globex").queryForObject("SELECT balance FROM accounts WHERE id = 1", Long.class)).isEqualTo(7L);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.jdbc()
                .queryForList("SELECT name FROM plans ORDER BY id", String.class)).containsExactly("free", "pro"));
        // each tenant database streamed into holds one row of sync state: the slot's position as that database has it
        for (String database : List.of("acme", "globex", "initech")) {
            assertThat(tenants.tenant(database).queryForList("SELECT slot FROM pgturso_cdc", String.class)).containsExactly(slot);
        }
        assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'accounts'", Integer.class))
                .as("the table with fan-out is only in the tenants' databases").isZero();

        // cdc-uninstall forgets the position in every tenant database too (a new slot's transactions are then all applied)
        sync.stop();
        SyncHarness.CliResult uninstall = sync.cli("cdc-uninstall");
        assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
        for (String database : List.of("acme", "globex", "initech")) {
            assertThat(tenants.tenant(database).queryForList("SELECT slot FROM pgturso_cdc", String.class))
                    .as(database + " after " + uninstall.out() + uninstall.err()).isEmpty();
        }
    }

    @Test
    void a_row_moved_to_another_tenant_leaves_the_old_one_and_a_deleted_row_leaves_its_tenant() {
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10), (2, 'acme', 20), (3, 'globex', 30)");
        CdcTesting.startStreaming(sync);

        pg.update("UPDATE accounts SET tenant_id = 'globex' WHERE id = 2");
        awaitIds("globex", 2, 3);
        awaitIds("acme", 1);
        assertThat(indexed(2)).containsExactly("globex");

        pg.update("DELETE FROM accounts WHERE id = 3");
        awaitIds("globex", 2);
        assertThat(indexed(3)).isEmpty();

        // a key change and a tenant change at once, and back to the first tenant in the same transaction as a delete
        pg.execute("BEGIN; UPDATE accounts SET id = 20, tenant_id = 'initech' WHERE id = 2; DELETE FROM accounts WHERE id = 1; "
                + "COMMIT");
        awaitIds("initech", 20);
        awaitIds("globex");
        awaitIds("acme");
        assertThat(indexed(2)).isEmpty();
        assertThat(indexed(20)).containsExactly("initech");
        assertThat(tenants.databases()).as("a tenant whose rows are all gone keeps its database")
                .contains("acme", "globex", "initech");
        SyncHarness.CliResult verify = sync.cli("verify", "--table", "accounts");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void a_copy_from_a_new_slot_deletes_the_rows_deleted_or_moved_while_no_slot_existed_and_leaves_the_others() {
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10), (2, 'acme', 20), (3, 'globex', 30), (4, 'globex', 40)");
        CdcTesting.startStreaming(sync);
        awaitIds("acme", 1, 2);
        awaitIds("globex", 3, 4);
        sync.stop();
        SyncHarness.CliResult uninstall = sync.cli("cdc-uninstall");
        assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();

        // while no slot exists: a row deleted, another moved to a tenant that has no database yet
        pg.update("DELETE FROM accounts WHERE id = 1");
        pg.update("UPDATE accounts SET tenant_id = 'initech' WHERE id = 3");
        pg.update("UPDATE accounts SET balance = 41 WHERE id = 4");
        CdcTesting.startStreaming(sync);

        awaitIds("acme", 2);
        awaitIds("globex", 4);
        awaitIds("initech", 3);
        assertThat(indexed(1)).as("a deleted row leaves the key index").isEmpty();
        assertThat(indexed(3)).containsExactly("initech");
        assertThat(tenants.tenant("globex").queryForObject("SELECT balance FROM accounts WHERE id = 4", Long.class)).isEqualTo(41L);
        // the stream goes on from the new slot's snapshot: a row inserted now lands and stays
        pg.update("INSERT INTO accounts VALUES (5, 'acme', 50)");
        awaitIds("acme", 2, 5);
        SyncHarness.CliResult verify = sync.cli("verify", "--table", "accounts");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void a_row_moved_to_another_tenant_with_a_large_value_left_out_is_dead_lettered_naming_that_tenant_and_replayed_whole() {
        pg.execute("ALTER TABLE accounts ADD COLUMN body text");
        // random text does not compress: Postgres keeps it out of line (TOAST), and an update that leaves it sends 'u'
        pg.update("INSERT INTO accounts SELECT g, 'acme', g, (SELECT string_agg(md5(random()::text || i), '') "
                + "FROM generate_series(1, 400) i) FROM generate_series(1, 2) g");
        CdcTesting.startStreaming(sync);
        awaitIds("acme", 1, 2);

        pg.update("UPDATE accounts SET tenant_id = 'globex' WHERE id = 2");
        pg.update("UPDATE accounts SET balance = 100 WHERE id = 1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.tenant("acme")
                .queryForObject("SELECT balance FROM accounts WHERE id = 1", Long.class)).isEqualTo(100L));
        assertThat(ids("acme")).as("the moved row left its old tenant").containsExactly(1);
        assertThat(tenants.jdbc().queryForList("SELECT tenant_database FROM pgturso_dead_letters WHERE row_key = '{\"id\":\"2\"}'",
                String.class)).containsExactly("globex");
        assertThat(tenants.tenant("acme").queryForObject("SELECT length(body) FROM accounts WHERE id = 1", Long.class))
                .as("an update in place keeps the large value it left out").isGreaterThan(10_000L);

        sync.stop();
        SyncHarness.CliResult replay = sync.cli("replay");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(ids("globex")).containsExactly(2);
        assertThat(tenants.tenant("globex").queryForObject("SELECT body FROM accounts WHERE id = 2", String.class))
                .isEqualTo(pg.queryForObject("SELECT body FROM accounts WHERE id = 2", String.class));
        assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
    }

    @Test
    void a_row_its_tenant_database_refuses_is_dead_lettered_naming_it_the_rest_lands_and_replay_writes_it_once_fixed() {
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10), (2, 'globex', 20)");
        CdcTesting.startStreaming(sync);
        awaitIds("acme", 1);
        // a rule the user added to acme's table: no negative balance
        tenants.tenant("acme").execute("CREATE TRIGGER no_debt BEFORE INSERT ON accounts WHEN new.balance < 0 BEGIN "
                + "SELECT RAISE(ABORT, 'no negative balance'); END");

        pg.execute("BEGIN; INSERT INTO accounts VALUES (3, 'acme', -5), (4, 'acme', 40), (5, 'globex', 50); "
                + "INSERT INTO plans VALUES (1, 'free'); COMMIT");
        String refusedBefore = pg.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
        pg.update("INSERT INTO accounts VALUES (6, 'acme', 60)");
        awaitIds("acme", 1, 4, 6);
        awaitIds("globex", 2, 5);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.jdbc()
                .queryForList("SELECT name FROM plans", String.class)).containsExactly("free"));
        java.util.Map<String, Object> letter = tenants.jdbc().queryForMap(
                "SELECT row_key, stage, error, lsn, tenant_database FROM pgturso_dead_letters WHERE sync_table = 'accounts'");
        assertThat(letter.get("row_key")).isEqualTo("{\"id\":\"3\"}");
        assertThat(letter.get("tenant_database")).isEqualTo("acme");
        assertThat(letter.get("stage")).isEqualTo("write");
        assertThat((String) letter.get("error")).contains("no negative balance");
        long lsn = ((Number) letter.get("lsn")).longValue();
        assertThat(lsn).as("the transaction's commit position").isPositive();
        assertThat(Lsn.compare(lsn, Lsn.parse(refusedBefore))).isLessThan(0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pg.queryForObject(
                "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?", Boolean.class,
                refusedBefore, slot)).as("the position moved past the refused row").isTrue());

        sync.stop();
        tenants.tenant("acme").execute("DROP TRIGGER no_debt");
        SyncHarness.CliResult replay = sync.cli("replay");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(ids("acme")).containsExactly(1, 3, 4, 6);
        assertThat(tenants.tenant("acme").queryForObject("SELECT balance FROM accounts WHERE id = 3", Long.class)).isEqualTo(-5L);
        assertThat(tenants.jdbc().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
    }

    @Test
    void a_row_that_cannot_be_mapped_is_dead_lettered_naming_its_tenant_database() {
        pg.execute("ALTER TABLE accounts ADD COLUMN rate float8");
        CdcTesting.startStreaming(sync);
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10, 'NaN'), (2, 'globex', 20, 1.5)");
        awaitIds("globex", 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.jdbc().queryForList(
                "SELECT stage || ' ' || tenant_database FROM pgturso_dead_letters WHERE row_key = '{\"id\":\"1\"}'",
                String.class)).containsExactly("transform acme"));
    }

    @Test
    void a_column_retyped_stops_the_table_with_fan_out_the_others_stream_on_and_resync_copies_it_anew_into_every_tenant() {
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10), (2, 'globex', 20)");
        CdcTesting.startStreaming(sync);
        awaitIds("acme", 1);

        pg.execute("ALTER TABLE accounts ALTER COLUMN balance TYPE text");
        pg.update("UPDATE accounts SET balance = 'eleven' WHERE id = 1");
        pg.update("INSERT INTO plans VALUES (1, 'free')");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.jdbc()
                .queryForList("SELECT name FROM plans", String.class)).containsExactly("free"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.jdbc().queryForList(
                "SELECT stopped FROM pgturso_cdc_tables WHERE sync_table = 'accounts'", String.class))
                .singleElement().asString().contains("must be rebuilt").contains("resync --table accounts"));
        assertThat(tenants.tenant("acme").queryForObject("SELECT balance FROM accounts WHERE id = 1", Long.class)).isEqualTo(10L);

        sync.stop();
        assertThat(sync.cli("resync", "--table", "accounts", "--tenant", "acme").err()).contains("without --tenant");
        SyncHarness.CliResult resync = sync.cli("resync", "--table", "accounts");
        assertThat(resync.exitCode()).as(resync.err()).isZero();
        assertThat(resync.out()).contains("rebuilt with the types Postgres maps to in 2 tenant databases");
        pg.update("DELETE FROM accounts WHERE id = 2");
        CdcTesting.startStreaming(sync);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.tenant("acme")
                .queryForList("SELECT balance FROM accounts", String.class)).containsExactly("eleven"));
        // globex's only row was deleted while the table was stopped: the copy did not write it, so it left globex
        awaitIds("globex");
    }

    @Test
    void a_truncate_empties_the_table_in_every_tenant_database_and_rows_written_after_it_land() {
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10), (2, 'globex', 20)");
        CdcTesting.startStreaming(sync);

        pg.execute("BEGIN; TRUNCATE accounts; INSERT INTO accounts VALUES (5, 'globex', 50); COMMIT");
        awaitIds("globex", 5);
        awaitIds("acme");
        assertThat(indexed(1)).isEmpty();
        assertThat(indexed(5)).containsExactly("globex");
    }

    @Test
    void changes_committed_while_the_first_copy_runs_are_neither_missed_nor_applied_twice() throws Exception {
        pg.update("INSERT INTO accounts SELECT g, 't' || (g % 10), g FROM generate_series(1, 3000) g");
        sync.property("sync.cdc.group-max-changes", "10");
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> writes = writer.submit(() -> {
                int n = 0;
                // moves rows between tenants, inserts and deletes, before, during and after the copy
                while (writing.get() || n < 200) {
                    n++;
                    pg.update("UPDATE accounts SET tenant_id = 't' || ((id + ?) % 10), balance = balance + 1 WHERE id = ?",
                            n, 1 + (n * 7) % 3000);
                    pg.update("INSERT INTO accounts VALUES (?, 't' || (? % 10), 0)", 10_000 + n, n);
                    pg.update("DELETE FROM accounts WHERE id = ?", 1 + (n * 13) % 3000);
                }
                return n;
            });
            CdcTesting.startStreaming(sync);
            writing.set(false);
            assertThat(writes.get(120, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(200);
        } finally {
            writing.set(false);
            writer.shutdownNow();
        }
        awaitTenantsEqualPostgres();
    }

    @Test
    void a_crash_between_two_tenants_commits_neither_loses_nor_applies_twice() {
        pg.update("INSERT INTO accounts VALUES (1, 'acme', 10), (2, 'globex', 20)");
        CdcTesting.startStreaming(sync);
        // every upsert of a row into acme's database is logged there, equal values too (a BEFORE INSERT trigger fires
        // before the conflict is found); globex's fails every update for now (its trigger names a table that is gone: a
        // failure of the database, not of a row, so the exchange is retried rather than the row dead-lettered)
        tenants.tenant("acme").execute("CREATE TABLE applied (id INTEGER, balance INTEGER)");
        tenants.tenant("acme").execute("CREATE TRIGGER log_upsert BEFORE INSERT ON accounts BEGIN "
                + "INSERT INTO applied VALUES (new.id, new.balance); END");
        tenants.tenant("globex").execute("CREATE TABLE gone (x INTEGER)");
        tenants.tenant("globex").execute("CREATE TRIGGER refuse BEFORE UPDATE ON accounts BEGIN "
                + "INSERT INTO gone VALUES (1); END");
        tenants.tenant("globex").execute("DROP TABLE gone");

        pg.execute("BEGIN; UPDATE accounts SET balance = 11 WHERE id = 1; UPDATE accounts SET balance = 21 WHERE id = 2; COMMIT");
        // acme's part committed (its database names the transaction); globex's failed, so Postgres was not told
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.tenant("acme")
                .queryForList("SELECT balance FROM accounts", Long.class)).containsExactly(11L));
        String confirmed = confirmedInPostgres();
        String stored = tenants.jdbc().queryForObject("SELECT lsn_text FROM pgturso_cdc WHERE slot = ?", String.class, slot);
        sync.stop();

        assertThat(tenants.tenant("globex").queryForObject("SELECT balance FROM accounts", Long.class)).isEqualTo(20L);
        assertThat(tenants.jdbc().queryForObject("SELECT lsn_text FROM pgturso_cdc WHERE slot = ?", String.class, slot))
                .as("the control database's position did not move").isEqualTo(stored);
        assertPostgresToldNoMoreThan(confirmed, stored);
        tenants.tenant("globex").execute("DROP TRIGGER refuse");
        pg.update("UPDATE accounts SET balance = 12 WHERE id = 1");

        CdcTesting.startStreaming(sync);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.tenant("globex")
                .queryForObject("SELECT balance FROM accounts", Long.class)).isEqualTo(21L));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.tenant("acme")
                .queryForObject("SELECT balance FROM accounts", Long.class)).isEqualTo(12L));
        assertThat(tenants.tenant("acme").queryForList("SELECT balance FROM applied ORDER BY rowid", Long.class))
                .as("acme's part of the transaction sent again was skipped, the next one applied once").containsExactly(11L, 12L);
    }

    @Test
    void a_tenant_database_failing_while_the_other_parts_are_written_at_once_loses_and_applies_twice_nothing() {
        // 8 tenants written 4 at once; t5's database fails every update for now (a failure of the database, not of a row)
        sync.property("sync.fan-out.writers", "4");
        pg.update("INSERT INTO accounts SELECT g, 't' || g, 10 FROM generate_series(1, 8) g");
        CdcTesting.startStreaming(sync);
        List<String> all = List.of("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8");
        for (String database : all) {
            // every upsert of a row into the database is logged there, equal values too
            tenants.tenant(database).execute("CREATE TABLE applied (id INTEGER, balance INTEGER)");
            tenants.tenant(database).execute("CREATE TRIGGER log_upsert BEFORE INSERT ON accounts BEGIN "
                    + "INSERT INTO applied VALUES (new.id, new.balance); END");
        }
        tenants.tenant("t5").execute("CREATE TABLE gone (x INTEGER)");
        tenants.tenant("t5").execute("CREATE TRIGGER refuse BEFORE UPDATE ON accounts BEGIN INSERT INTO gone VALUES (1); END");
        tenants.tenant("t5").execute("DROP TABLE gone");
        String stored = tenants.jdbc().queryForObject("SELECT lsn_text FROM pgturso_cdc WHERE slot = ?", String.class, slot);

        pg.execute("BEGIN; UPDATE accounts SET balance = 11; INSERT INTO plans VALUES (1, 'free'); COMMIT");
        // the parts before t5's are always started before it fails: they commit; the exchange fails, again and again
        for (String database : List.of("t1", "t2", "t3", "t4")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.tenant(database)
                    .queryForList("SELECT balance FROM accounts", Long.class)).as(database).containsExactly(11L));
        }
        String confirmed = confirmedInPostgres();
        sync.stop();

        assertThat(tenants.tenant("t5").queryForObject("SELECT balance FROM accounts", Long.class)).isEqualTo(10L);
        assertThat(tenants.jdbc().queryForObject("SELECT lsn_text FROM pgturso_cdc WHERE slot = ?", String.class, slot))
                .as("the control database's position did not move").isEqualTo(stored);
        assertThat(tenants.jdbc().queryForList("SELECT name FROM plans", String.class))
                .as("the control database's part waits for every tenant's").isEmpty();
        assertPostgresToldNoMoreThan(confirmed, stored);
        tenants.tenant("t5").execute("DROP TRIGGER refuse");
        pg.update("UPDATE accounts SET balance = 12");

        CdcTesting.startStreaming(sync);
        for (String database : all) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.tenant(database)
                    .queryForList("SELECT balance FROM accounts", Long.class)).as(database).containsExactly(12L));
            assertThat(tenants.tenant(database).queryForList("SELECT balance FROM applied ORDER BY rowid", Long.class))
                    .as(database + ": the transaction sent again was applied once, the next one once").containsExactly(11L, 12L);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tenants.jdbc()
                .queryForList("SELECT name FROM plans", String.class)).containsExactly("free"));
        awaitTenantsEqualPostgres();
    }

    @Test
    void with_fewer_databases_kept_open_than_writers_the_parts_land_and_no_more_stay_open_than_allowed() {
        sync.property("sync.fan-out.writers", "8").property("sync.fan-out.max-open", "2");
        pg.update("INSERT INTO accounts SELECT g, 't' || g, 10 FROM generate_series(1, 6) g");
        CdcTesting.startStreaming(sync);
        pg.update("UPDATE accounts SET balance = 11");
        pg.execute("BEGIN; UPDATE accounts SET balance = 12; INSERT INTO accounts VALUES (7, 't7', 12); COMMIT");
        awaitTenantsEqualPostgres();
        TenantDatabases open = sync.app().camel().getRegistry().lookupByNameAndType("tenantDatabases", TenantDatabases.class);
        assertThat(open.openCount()).as("tenant databases open after the stream wrote 7 at most 2 at once").isLessThanOrEqualTo(2);
    }

    @Test
    void a_reader_of_one_tenant_never_sees_its_part_of_a_transaction_half_applied() throws Exception {
        // 10 accounts in each of two tenants; each transfer moves an amount within acme and within globex at once
        pg.update("INSERT INTO accounts SELECT g, CASE WHEN g <= 10 THEN 'acme' ELSE 'globex' END, 1000 "
                + "FROM generate_series(1, 20) g");
        sync.property("sync.cdc.group-max-changes", "0");
        CdcTesting.startStreaming(sync);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<long[]> reads = pool.submit(() -> {
                long count = 0;
                Set<String> states = new HashSet<>();
                do {
                    List<Long> seen = tenants.tenant("acme").queryForList("SELECT balance FROM accounts ORDER BY id", Long.class);
                    assertThat(seen.stream().mapToLong(Long::longValue).sum()).as("acme's sum at read " + (count + 1) + ": " + seen)
                            .isEqualTo(10_000L);
                    states.add(seen.toString());
                    count++;
                } while (writing.get());
                return new long[] {count, states.size()};
            });
            for (int i = 0; i < 300; i++) {
                int a = 1 + i % 10;
                int b = 1 + (i + 3) % 10;
                pg.execute("BEGIN; UPDATE accounts SET balance = balance - 7 WHERE id = " + a + "; UPDATE accounts SET balance = "
                        + "balance - 7 WHERE id = " + (a + 10) + "; UPDATE accounts SET balance = balance + 7 WHERE id = " + b
                        + "; UPDATE accounts SET balance = balance + 7 WHERE id = " + (b + 10) + "; COMMIT");
            }
            awaitTenantsEqualPostgres();
            writing.set(false);
            long[] result = reads.get(60, TimeUnit.SECONDS);
            System.out.printf("cdc fan-out invariant: 300 transfers in each of 2 tenants, %d reads of acme, %d distinct states, "
                    + "the sum was 10000 at every read%n", result[0], result[1]);
            assertThat(result[1]).as("the reader saw the transfers land").isGreaterThan(2);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }

    /** Waits until every tenant database holds exactly its tenant's rows as Postgres has them, and no other. */
    private void awaitTenantsEqualPostgres() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Set<String> databases = new HashSet<>(pg.queryForList("SELECT DISTINCT tenant_id FROM accounts", String.class));
            databases.addAll(tenants.databases());
            for (String database : databases) {
                List<String> expected = pg.queryForList("SELECT id || ':' || balance FROM accounts WHERE tenant_id = ? ORDER BY id",
                        String.class, database);
                List<String> actual = tenants.exists(database) ? tenants.tenant(database).queryForList(
                        "SELECT id || ':' || balance FROM accounts ORDER BY id", String.class) : List.of();
                assertThat(actual).as("rows of " + database).isEqualTo(expected);
            }
        });
    }
}
