package io.pgturso.cdc.camel;

import static io.pgturso.cdc.camel.CdcRouteHarness.describe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.cdc.PgTransaction;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Insert;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Update;
import io.pgturso.cdc.pgoutput.TupleValue;
import io.pgturso.testing.LogicalPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

/** A route from {@code pgcdc:} receives Postgres transactions whole, in commit order, and confirms only what it completed. */
@Timeout(120)
class PgCdcConsumerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private CdcRouteHarness cdc;

    @AfterEach
    void tearDown() throws Exception {
        if (cdc != null) {
            cdc.close();
        }
    }

    private CdcRouteHarness orders() {
        return new CdcRouteHarness(LogicalPostgres.get(), "CREATE TABLE orders (id int PRIMARY KEY, note text)");
    }

    @Test
    void transactions_arrive_whole_and_in_commit_order() throws Exception {
        cdc = orders().start("");
        try (Connection a = cdc.connections.open(); Connection b = cdc.connections.open();
                Statement first = a.createStatement(); Statement second = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            first.execute("INSERT INTO orders VALUES (1, 'a'), (2, 'a')");
            second.execute("INSERT INTO orders VALUES (10, 'b')");
            b.commit(); // began later, committed first
            first.execute("INSERT INTO orders VALUES (3, 'a')");
            a.commit();
        }
        await().atMost(WAIT).until(() -> cdc.applied().size() == 2);
        List<PgTransaction> transactions = cdc.appliedTransactions();
        assertThat(transactions).extracting(CdcRouteHarness::describe).containsExactly(
                List.of("insert orders 10"),
                List.of("insert orders 1", "insert orders 2", "insert orders 3"));
        assertThat(transactions).allSatisfy(t -> assertThat(t.whole()).isTrue());
        assertThat(Lsn.compare(transactions.get(0).commitLsn(), transactions.get(1).commitLsn())).isNegative();

        CdcRouteHarness.Seen last = cdc.applied().get(1);
        assertThat(last.headers()).containsEntry(PgCdcConstants.LSN, transactions.get(1).endLsn())
                .containsEntry(PgCdcConstants.COMMIT_LSN, transactions.get(1).commitLsn())
                .containsEntry(PgCdcConstants.LAST_PART, true).containsEntry(PgCdcConstants.PART, 0)
                .containsEntry(PgCdcConstants.CHANGES, 3).containsEntry(PgCdcConstants.TRANSACTIONS, 1);
        assertThat((Instant) last.headers().get(PgCdcConstants.COMMIT_TIME)).isBefore(Instant.now().plusSeconds(1));
        await().atMost(WAIT).until(() -> Lsn.compare(cdc.confirmedInPostgres(), transactions.get(1).endLsn()) >= 0);
        assertThat(cdc.endpoint().getProgress().lastAppliedCommitTime()).isEqualTo(transactions.get(1).commitTime());
    }

    @Test
    void inserts_updates_with_a_new_key_deletes_and_truncates_reach_the_route() throws Exception {
        cdc = orders().start("");
        cdc.pg.execute("INSERT INTO orders VALUES (1, 'new')");
        cdc.pg.execute("UPDATE orders SET id = 10, note = 'moved' WHERE id = 1");
        cdc.pg.execute("UPDATE orders SET note = 'edited' WHERE id = 10");
        cdc.pg.execute("DELETE FROM orders WHERE id = 10");
        cdc.pg.execute("INSERT INTO orders VALUES (2, 'x'); TRUNCATE orders");
        await().atMost(WAIT).until(() -> cdc.applied().size() == 5);
        List<PgTransaction> transactions = cdc.appliedTransactions();
        assertThat(transactions).extracting(CdcRouteHarness::describe).containsExactly(
                List.of("insert orders 1"), List.of("update orders 1 -> 10"), List.of("update orders 10 -> 10"),
                List.of("delete orders 10"), List.of("insert orders 2", "truncate [orders]"));
        Update moved = (Update) transactions.get(1).changes().get(0);
        assertThat(moved.oldKey()).as("the old key comes with a key change").isNotNull();
        assertThat(((Update) transactions.get(2).changes().get(0)).oldKey()).isNull();
    }

    @Test
    void an_untouched_large_value_arrives_as_unchanged_toast_never_as_null() throws Exception {
        cdc = new CdcRouteHarness(LogicalPostgres.get(), "CREATE TABLE docs (id int PRIMARY KEY, title text, body text)",
                "ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL").start("");
        cdc.pg.execute("INSERT INTO docs VALUES (1, 'a', repeat('0123456789', 3000))");
        cdc.pg.execute("UPDATE docs SET title = 'b' WHERE id = 1");
        await().atMost(WAIT).until(() -> cdc.applied().size() == 2);
        Update update = (Update) cdc.appliedTransactions().get(1).changes().get(0);
        assertThat(update.newRow().get(update.relation(), "title")).isEqualTo(TupleValue.Text.of("b"));
        assertThat(update.newRow().get(update.relation(), "body")).isEqualTo(TupleValue.UNCHANGED_TOAST);
    }

    @Test
    void after_alter_table_changes_name_the_new_columns() throws Exception {
        cdc = orders().start("");
        cdc.pg.execute("INSERT INTO orders VALUES (1, 'a')");
        cdc.pg.execute("ALTER TABLE orders ADD COLUMN total numeric(10,2)");
        cdc.pg.execute("INSERT INTO orders VALUES (2, 'b', 9.5)");
        await().atMost(WAIT).until(() -> cdc.applied().size() == 2);
        Insert before = (Insert) cdc.appliedTransactions().get(0).changes().get(0);
        Insert after = (Insert) cdc.appliedTransactions().get(1).changes().get(0);
        assertThat(before.relation().columns()).hasSize(2);
        assertThat(after.relation().columns()).extracting(c -> c.name()).containsExactly("id", "note", "total");
        assertThat(after.newRow().get(after.relation(), "total")).isEqualTo(TupleValue.Text.of("9.50"));
    }

    @Test
    void while_exchanges_fail_nothing_is_confirmed_and_everything_comes_again_once_they_succeed() throws Exception {
        cdc = orders().start("");
        cdc.pg.execute("INSERT INTO orders VALUES (1, 'ok')");
        await().atMost(WAIT).until(() -> cdc.applied().size() == 1);
        long applied = cdc.appliedTransactions().get(0).endLsn();
        await().atMost(WAIT).until(() -> Lsn.compare(cdc.confirmedInPostgres(), applied) >= 0);

        cdc.failWhen = body -> true; // the target is down
        cdc.pg.execute("INSERT INTO orders VALUES (2, 'down')");
        cdc.pg.execute("INSERT INTO orders VALUES (3, 'down')");
        for (int attempts = 1; attempts <= 3; attempts++) {
            int atLeast = attempts;
            await().atMost(WAIT).until(() -> cdc.seen.stream().filter(CdcRouteHarness.Seen::failed).count() >= atLeast);
            long failedCommit = cdc.seen.get(1).transaction().commitLsn();
            assertThat(Lsn.compare(cdc.confirmedInPostgres(), failedCommit)).as("not confirmed while failing").isLessThanOrEqualTo(0);
            assertThat(Lsn.compare(cdc.endpoint().getProgress().confirmedLsn(), failedCommit)).isLessThanOrEqualTo(0);
        }
        assertThat(cdc.seen.stream().filter(CdcRouteHarness.Seen::failed).map(s -> describe(s.transaction())))
                .as("the failed transaction came again, and nothing after it went by").containsOnly(List.of("insert orders 2"));

        cdc.failWhen = body -> false; // the target is back
        await().atMost(WAIT).until(() -> cdc.applied().size() == 3);
        assertThat(cdc.appliedTransactions()).extracting(CdcRouteHarness::describe).containsExactly(
                List.of("insert orders 1"), List.of("insert orders 2"), List.of("insert orders 3"));
        long last = cdc.appliedTransactions().get(2).endLsn();
        await().atMost(WAIT).until(() -> Lsn.compare(cdc.confirmedInPostgres(), last) >= 0);
        assertThat(cdc.endpoint().getProgress().reconnects()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void a_restarted_consumer_resumes_after_the_confirmed_position_with_nothing_lost_or_repeated() throws Exception {
        cdc = orders().start("");
        cdc.pg.execute("INSERT INTO orders VALUES (1, 'before')");
        cdc.pg.execute("INSERT INTO orders VALUES (2, 'before')");
        await().atMost(WAIT).until(() -> cdc.applied().size() == 2);
        cdc.stopRoute();
        assertThat(Lsn.compare(cdc.confirmedInPostgres(), cdc.appliedTransactions().get(1).endLsn()))
                .as("the last status went out on stop").isGreaterThanOrEqualTo(0);

        cdc.pg.execute("INSERT INTO orders VALUES (3, 'while stopped')");
        cdc.pg.execute("INSERT INTO orders VALUES (4, 'while stopped')");
        cdc.startRoute();
        cdc.pg.execute("INSERT INTO orders VALUES (5, 'after')");
        await().atMost(WAIT).until(() -> cdc.applied().size() >= 5);
        assertThat(cdc.appliedTransactions()).extracting(CdcRouteHarness::describe).containsExactly(
                List.of("insert orders 1"), List.of("insert orders 2"), List.of("insert orders 3"),
                List.of("insert orders 4"), List.of("insert orders 5"));
    }

    @Test
    void a_large_transaction_comes_in_parts_and_is_sent_again_whole_when_its_last_part_fails() throws Exception {
        cdc = orders().start("maxTransactionChanges=3");
        cdc.failWhen = body -> ((PgTransaction) body).lastPart() && cdc.seen.stream().noneMatch(CdcRouteHarness.Seen::failed);
        cdc.pg.execute("INSERT INTO orders SELECT generate_series(1, 7), 'bulk'");
        await().atMost(WAIT).until(() -> cdc.applied().size() == 5);

        List<CdcRouteHarness.Seen> seen = cdc.seen;
        assertThat(seen).extracting(s -> s.transaction().part() + (s.failed() ? " failed" : ""))
                .containsExactly("0", "1", "2 failed", "0", "1", "2");
        assertThat(seen).extracting(s -> s.transaction().changes().size()).containsExactly(3, 3, 1, 3, 3, 1);
        assertThat(seen).extracting(s -> s.headers().get(PgCdcConstants.LAST_PART)).containsExactly(false, false, true, false, false, true);
        PgTransaction last = seen.get(5).transaction();
        assertThat(seen).extracting(s -> s.headers().get(PgCdcConstants.LSN)).containsExactly(0L, 0L, last.endLsn(), 0L, 0L, last.endLsn());
        assertThat(seen).extracting(s -> s.transaction().commitLsn()).containsOnly(last.commitLsn());
        assertThat(cdc.appliedTransactions().subList(2, 5).stream().flatMap(t -> describe(t).stream()))
                .containsExactly("insert orders 1", "insert orders 2", "insert orders 3", "insert orders 4",
                        "insert orders 5", "insert orders 6", "insert orders 7");
        await().atMost(WAIT).until(() -> Lsn.compare(cdc.confirmedInPostgres(), last.endLsn()) >= 0);
    }

    @Test
    void small_transactions_are_grouped_up_to_the_change_bound() throws Exception {
        cdc = orders();
        for (int id = 1; id <= 7; id++) {
            cdc.pg.execute("INSERT INTO orders VALUES (" + id + ", 'small')");
        }
        cdc.pg.execute("INSERT INTO orders SELECT generate_series(100, 104), 'bigger'");
        cdc.start("groupMaxChanges=5&groupMaxWait=500");
        await().atMost(WAIT).until(() -> cdc.appliedTransactions().size() == 8);
        assertThat(cdc.applied()).extracting(s -> ((List<?>) s.body()).size()).containsExactly(5, 2, 1);
        assertThat(cdc.applied()).extracting(s -> s.headers().get(PgCdcConstants.CHANGES)).containsExactly(5, 2, 5);
        assertThat(cdc.applied().get(0).headers()).containsEntry(PgCdcConstants.TRANSACTIONS, 5)
                .containsEntry(PgCdcConstants.LSN, cdc.appliedTransactions().get(4).endLsn());
        assertThat(cdc.appliedTransactions()).extracting(t -> describe(t).get(0)).containsExactly(
                "insert orders 1", "insert orders 2", "insert orders 3", "insert orders 4", "insert orders 5",
                "insert orders 6", "insert orders 7", "insert orders 100");
    }

    /** Where the server's WAL is flushed now. */
    private long walFlushed() {
        return Lsn.parse(cdc.pg.queryForObject("SELECT pg_current_wal_flush_lsn()::text", String.class));
    }

    @Test
    void a_quiet_database_does_not_hold_the_wal_others_write() throws Exception {
        cdc = orders().start("");
        JdbcTemplate elsewhere = LogicalPostgres.get().jdbc(LogicalPostgres.get().newDatabase());
        elsewhere.execute("CREATE TABLE noise (id int)");
        for (int round = 0; round < 3; round++) {
            long before = walFlushed();
            elsewhere.execute("INSERT INTO noise SELECT generate_series(1, 1000)");
            await().atMost(WAIT).until(() -> Lsn.compare(cdc.confirmedInPostgres(), before) > 0);
        }
        assertThat(cdc.applied()).isEmpty();
    }

    @Test
    void heartbeats_move_the_slot_on_when_nothing_else_writes() throws Exception {
        cdc = orders().start("heartbeatInterval=200");
        for (int round = 0; round < 3; round++) {
            long before = walFlushed(); // without heartbeats the slot stops here once it caught up
            await().atMost(WAIT).until(() -> Lsn.compare(cdc.confirmedInPostgres(), before) > 0);
        }
        assertThat(cdc.applied()).isEmpty();
    }

    @Test
    void a_cut_connection_is_opened_again_and_the_stream_goes_on() throws Exception {
        cdc = orders().start("");
        cdc.pg.execute("INSERT INTO orders VALUES (1, 'before')");
        await().atMost(WAIT).until(() -> cdc.applied().size() == 1);
        int pid = cdc.slot().activePid();
        cdc.pg.execute("SELECT pg_terminate_backend(" + pid + ")");
        cdc.pg.execute("INSERT INTO orders VALUES (2, 'after')");
        await().atMost(WAIT).until(() -> cdc.applied().size() >= 2);
        await().atMost(WAIT).until(() -> cdc.slot().active() && cdc.slot().activePid() != pid);
        assertThat(cdc.appliedTransactions()).extracting(CdcRouteHarness::describe)
                .containsExactly(List.of("insert orders 1"), List.of("insert orders 2"));
    }
}
