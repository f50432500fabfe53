package io.pgturso.cdc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ComparisonResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What goes wrong under a running stream: a row the type mapping or the target refuses, the target down, Postgres
 * restarted.
 */
@Timeout(300)
class CdcFailuresTest {
    @TempDir
    Path dir;

    @Test
    void a_row_that_cannot_be_mapped_is_dead_lettered_with_its_position_and_the_stream_goes_on() {
        String slot = CdcTesting.uniqueSlot();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE readings (id int PRIMARY KEY, v float8)");
            CdcTesting.streaming(sync, slot).table("readings", "table=readings", "mode=cdc");
            CdcTesting.startStreaming(sync);

            pg.execute("BEGIN; INSERT INTO readings VALUES (1, 1.5), (2, 'NaN'); COMMIT");
            String nanAt = pg.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
            pg.update("INSERT INTO readings VALUES (3, 3.5)");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(sync, "SELECT count(*) FROM readings") == 2);
            Map<String, Object> letter = sync.target().queryForMap(
                    "SELECT row_key, stage, error, lsn FROM pgturso_dead_letters WHERE sync_table = 'readings'");
            assertThat(letter.get("row_key")).isEqualTo("{\"id\":\"2\"}");
            assertThat((String) letter.get("error")).contains("column v (double precision): NaN cannot be stored");
            assertThat(Lsn.compare(((Number) letter.get("lsn")).longValue(), Lsn.parse(nanAt))).as("the transaction's commit position")
                    .isLessThan(0).isGreaterThan(Integer.MIN_VALUE);
            assertThat(((Number) letter.get("lsn")).longValue()).isPositive();

            pg.update("UPDATE readings SET v = 2.5 WHERE id = 2");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(sync, "SELECT count(*) FROM readings") == 3);
            assertThat(count(sync, "SELECT count(*) FROM pgturso_dead_letters")).as("the row's next change closed it").isZero();
            sync.stop();
            CdcTesting.dropSlot(pg, slot);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"file", "libsql test server"})
    void a_row_the_target_refuses_is_dead_lettered_with_its_position_the_rest_lands_and_replay_writes_it_once_fixed(
            String where) {
        String slot = CdcTesting.uniqueSlot();
        try (TestTarget target = where.equals("file") ? TestTarget.file(dir) : TestTarget.libsqlServer(dir);
                SyncHarness sync = SyncHarness.create(dir, target, LogicalPostgres.get().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int)");
            pg.execute("CREATE TABLE transfers (id int PRIMARY KEY, note text)");
            pg.update("INSERT INTO accounts VALUES (1, 10)");
            CdcTesting.streaming(sync, slot).table("accounts", "table=accounts", "mode=cdc")
                    .table("transfers", "table=transfers", "mode=cdc");
            CdcTesting.startStreaming(sync);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(sync, "SELECT count(*) FROM accounts") == 1);
            // a rule the user added to the target's table: no negative balance
            sync.target().execute("CREATE TRIGGER no_debt BEFORE INSERT ON accounts WHEN new.balance < 0 BEGIN "
                    + "SELECT RAISE(ABORT, 'no negative balance'); END");

            pg.execute("BEGIN; INSERT INTO accounts VALUES (2, -5), (3, 30); INSERT INTO transfers VALUES (1, 'two rows'); "
                    + "COMMIT");
            String refusedBefore = pg.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
            pg.update("INSERT INTO accounts VALUES (4, 40)");
            await().atMost(Duration.ofSeconds(60)).until(() -> count(sync, "SELECT count(*) FROM accounts") == 3
                    && count(sync, "SELECT count(*) FROM transfers") == 1);
            assertThat(sync.target().queryForList("SELECT id FROM accounts ORDER BY id", Integer.class)).containsExactly(1, 3, 4);
            Map<String, Object> letter = sync.target().queryForMap(
                    "SELECT row_key, stage, error, lsn FROM pgturso_dead_letters WHERE sync_table = 'accounts'");
            assertThat(letter.get("row_key")).isEqualTo("{\"id\":\"2\"}");
            assertThat(letter.get("stage")).isEqualTo("write");
            assertThat((String) letter.get("error")).contains("no negative balance");
            long lsn = ((Number) letter.get("lsn")).longValue();
            assertThat(lsn).as("the transaction's commit position").isPositive();
            assertThat(Lsn.compare(lsn, Lsn.parse(refusedBefore))).isLessThan(0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pg.queryForObject(
                    "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?", Boolean.class,
                    refusedBefore, slot)).as("the position moved past the refused row").isTrue());

            sync.stop();
            sync.target().execute("DROP TRIGGER no_debt");
            SyncHarness.CliResult replay = sync.cli("replay");
            assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
            assertThat(sync.target().queryForList("SELECT id FROM accounts ORDER BY id", Integer.class)).containsExactly(1, 2, 3, 4);
            assertThat(sync.target().queryForObject("SELECT balance FROM accounts WHERE id = 2", Long.class)).isEqualTo(-5L);
            assertThat(count(sync, "SELECT count(*) FROM pgturso_dead_letters")).isZero();
            CdcTesting.dropSlot(pg, slot);
        }
    }

    @Test
    void with_the_target_down_nothing_is_confirmed_and_the_stream_catches_up_when_it_is_back() {
        String slot = CdcTesting.uniqueSlot();
        try (TestTarget turso = TestTarget.turso(dir);
                SyncHarness sync = SyncHarness.create(dir, turso, LogicalPostgres.get().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            CdcTesting.streaming(sync, slot).table("orders", "table=orders", "mode=cdc");
            CdcTesting.startStreaming(sync);

            turso.server().stop();
            pg.update("INSERT INTO orders SELECT g, 'while down' FROM generate_series(1, 500) g");
            String written = pg.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
            // several status intervals go by: the slot is never confirmed past the rows the target lacks
            await().pollDelay(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).until(() -> true);
            String confirmed = pg.queryForObject("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?",
                    String.class, slot);
            assertThat(Lsn.compare(Lsn.parse(confirmed), Lsn.parse(written))).as("confirmed " + confirmed + ", rows at " + written)
                    .isLessThan(0);

            turso.server().startAgain();
            await().atMost(Duration.ofSeconds(90)).until(() -> count(sync, "SELECT count(*) FROM orders") == 500);
            ComparisonResult verify = sync.compare("orders");
            assertThat(verify.isEqual()).as(verify.toString()).isTrue();
            sync.stop();
            CdcTesting.dropSlot(pg, slot);
        }
    }

    @Test
    void postgres_restarted_under_the_stream_it_reconnects_and_resumes() {
        String slot = CdcTesting.uniqueSlot();
        try (LogicalPostgres.Restartable postgres = LogicalPostgres.dedicated(dir.resolve("pgdata"));
                SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), postgres.server().asTestPostgres())) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            pg.update("INSERT INTO orders VALUES (1, 'before')");
            CdcTesting.streaming(sync, slot).table("orders", "table=orders", "mode=cdc");
            CdcTesting.startStreaming(sync);

            postgres.stop();
            postgres.start();
            pg.update("INSERT INTO orders SELECT g, 'after' FROM generate_series(2, 300) g");
            await().atMost(Duration.ofSeconds(90)).until(() -> count(sync, "SELECT count(*) FROM orders") == 300);
            ComparisonResult verify = sync.compare("orders");
            assertThat(verify.isEqual()).as(verify.toString()).isTrue();
        }
    }

    private static long count(SyncHarness sync, String sql) {
        try {
            return sync.target().queryForObject(sql, Long.class);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
