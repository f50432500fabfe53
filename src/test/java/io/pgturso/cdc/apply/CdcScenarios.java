package io.pgturso.cdc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import io.pgturso.verify.ComparisonResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tables in cdc mode end to end, on each target: copied from the slot's snapshot, then every change streamed one
 * Postgres transaction at a time, deletes, key changes, truncates and unchanged large values included.
 */
@Timeout(180)
abstract class CdcScenarios {
    @TempDir
    Path dir;
    TestTarget target;
    SyncHarness sync;
    JdbcTemplate pg;
    String slot;

    abstract TestTarget newTarget(Path dir);

    @BeforeEach
    void setUp() {
        target = newTarget(dir);
        sync = SyncHarness.create(dir, target, LogicalPostgres.get().asTestPostgres());
        pg = sync.pg();
        slot = CdcTesting.uniqueSlot();
        CdcTesting.streaming(sync, slot);
    }

    @AfterEach
    void tearDown() {
        sync.close();
        target.close();
        CdcTesting.dropSlot(pg, slot);
    }

    /** Starts run mode and waits until the stream reads the slot. */
    void startStreaming() {
        CdcTesting.startStreaming(sync);
    }

    /** Waits until {@code query} on the target returns {@code expected}. */
    void awaitTarget(String query, long expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(sync.target().queryForObject(query, Long.class)).isEqualTo(expected));
    }

    void assertEqual(String table) {
        ComparisonResult result = sync.compare(table);
        assertThat(result.isEqual()).as(result.toString()).isTrue();
    }

    @Test
    void rows_existing_at_the_start_are_copied_then_every_change_streams() {
        pg.execute("CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2), note text)");
        pg.update("INSERT INTO orders SELECT g, g * 1.5, 'note ' || g FROM generate_series(1, 2500) g");
        sync.table("orders", "table=orders", "mode=cdc", "batchSize=1000");
        startStreaming();
        assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(2500L);

        pg.update("INSERT INTO orders VALUES (3000, 1.00, 'new')");
        pg.update("UPDATE orders SET note = 'changed' WHERE id = 7");
        pg.update("DELETE FROM orders WHERE id = 8");
        awaitTarget("SELECT count(*) FROM orders WHERE id = 3000 OR note = 'changed' OR id = 8", 2L);
        awaitTarget("SELECT count(*) FROM orders", 2500L);
        assertEqual("orders");
        assertThat(sync.target().queryForObject("SELECT amount FROM orders WHERE id = 3000", String.class)).isEqualTo("1.00");
    }

    @Test
    void a_key_change_moves_the_row_and_leaves_nothing_under_the_old_key() {
        pg.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
        pg.update("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
        sync.table("items", "table=items", "mode=cdc");
        startStreaming();

        pg.update("UPDATE items SET id = 10 WHERE id = 1");
        awaitTarget("SELECT count(*) FROM items WHERE id = 10 AND name = 'one'", 1L);
        assertThat(sync.target().queryForList("SELECT id FROM items ORDER BY id", Long.class)).containsExactly(2L, 10L);
    }

    @Test
    void an_update_that_leaves_a_large_value_untouched_keeps_it_in_the_target() {
        pg.execute("CREATE TABLE docs (id int PRIMARY KEY, title text, body text)");
        // random text does not compress: Postgres keeps it out of line (TOAST), and an update that leaves it sends 'u'
        pg.update("INSERT INTO docs SELECT g, 'doc ' || g, (SELECT string_agg(md5(random()::text || i), '') "
                + "FROM generate_series(1, 400) i) FROM generate_series(1, 3) g");
        sync.table("docs", "table=docs", "mode=cdc");
        startStreaming();
        String body = pg.queryForObject("SELECT body FROM docs WHERE id = 1", String.class);
        assertThat(body).hasSizeGreaterThan(10_000);

        pg.update("UPDATE docs SET title = 'renamed' WHERE id = 1");
        pg.update("UPDATE docs SET id = 20, title = 'moved' WHERE id = 2");
        awaitTarget("SELECT count(*) FROM docs WHERE title IN ('renamed', 'moved')", 2L);
        String kept = sync.target().queryForObject("SELECT body FROM docs WHERE id = 1", String.class);
        assertThat(kept).as("the large value the update left untouched").isNotNull();
        assertThat(kept.equals(body)).as("the large value is the one Postgres holds").isTrue();
        assertThat(sync.target().queryForObject("SELECT body IS NOT NULL AND length(body) > 10000 FROM docs WHERE id = 20",
                Boolean.class)).isTrue();
        assertEqual("docs");
    }

    @Test
    void a_truncate_empties_the_target_table_and_later_rows_land() {
        pg.execute("CREATE TABLE logs (id int PRIMARY KEY, line text)");
        pg.update("INSERT INTO logs SELECT g, 'line' FROM generate_series(1, 100) g");
        sync.table("logs", "table=logs", "mode=cdc");
        startStreaming();

        pg.execute("BEGIN; TRUNCATE logs; INSERT INTO logs VALUES (1, 'after'); COMMIT");
        awaitTarget("SELECT count(*) FROM logs", 1L);
        assertThat(sync.target().queryForObject("SELECT line FROM logs", String.class)).isEqualTo("after");
    }

    @Test
    void the_position_is_stored_with_the_rows_and_a_restart_applies_nothing_twice() {
        pg.execute("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)");
        pg.update("INSERT INTO counters VALUES (1, 0)");
        sync.table("counters", "table=counters", "mode=cdc");
        startStreaming();
        for (int i = 1; i <= 20; i++) {
            pg.update("UPDATE counters SET n = ? WHERE id = 1", i);
        }
        awaitTarget("SELECT n FROM counters", 20L);
        String stored = sync.target().queryForObject("SELECT lsn_text FROM pgturso_cdc WHERE slot = ?", String.class, slot);
        String current = pg.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
        assertThat(io.pgturso.cdc.pgoutput.Lsn.compare(io.pgturso.cdc.pgoutput.Lsn.parse(stored),
                io.pgturso.cdc.pgoutput.Lsn.parse(current))).isLessThanOrEqualTo(0);
        sync.stop();

        pg.update("UPDATE counters SET n = 21 WHERE id = 1");
        startStreaming();
        awaitTarget("SELECT n FROM counters", 21L);
        assertEqual("counters");
    }

    @Test
    void rows_of_several_tables_in_one_transaction_land_together() {
        pg.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)");
        pg.execute("CREATE TABLE transfers (id int PRIMARY KEY, amount bigint NOT NULL)");
        pg.update("INSERT INTO accounts VALUES (1, 100), (2, 100)");
        sync.table("accounts", "table=accounts", "mode=cdc").table("transfers", "table=transfers", "mode=cdc");
        startStreaming();

        pg.execute("BEGIN; UPDATE accounts SET balance = balance - 30 WHERE id = 1; "
                + "UPDATE accounts SET balance = balance + 30 WHERE id = 2; INSERT INTO transfers VALUES (1, 30); COMMIT");
        awaitTarget("SELECT count(*) FROM transfers", 1L);
        List<Map<String, Object>> balances = sync.target().queryForList("SELECT id, balance FROM accounts ORDER BY id");
        assertThat(balances).extracting(r -> ((Number) r.get("balance")).longValue()).containsExactly(70L, 130L);
    }

    @Test
    void values_postgres_turns_for_the_stream_land_in_their_own_columns() {
        pg.execute("CREATE TABLE tagged (id int PRIMARY KEY, tags int[], scores int[], price money, fee money)");
        sync.table("tagged", "table=tagged", "mode=cdc");
        startStreaming();

        pg.update("INSERT INTO tagged VALUES (1, '{1,2}', '{30}', 4.5, 0.25), (2, NULL, '[0:1]={7,8}', NULL, 1)");
        awaitTarget("SELECT count(*) FROM tagged", 2L);
        assertThat(sync.target().queryForList("SELECT tags, scores, price, fee FROM tagged ORDER BY id")).containsExactly(
                Map.of("tags", "[1,2]", "scores", "[30]", "price", "4.50", "fee", "0.25"),
                new java.util.HashMap<>(Map.of("scores", "[7,8]", "fee", "1.00")) {
                    {
                        put("tags", null);
                        put("price", null);
                    }
                });
    }

    @Test
    void a_reader_of_the_target_never_sees_a_transfer_half_applied() throws Exception {
        int accounts = 20;
        int writers = 4;
        int transfersEach = 250;
        pg.execute("CREATE TABLE balances (id int PRIMARY KEY, balance bigint NOT NULL)");
        pg.update("INSERT INTO balances SELECT g, 1000 FROM generate_series(1, ?) g", accounts);
        long total = accounts * 1000L;
        // one Postgres transaction per target transaction: the reader can land between any two of them
        sync.property("sync.cdc.group-max-changes", "0").table("balances", "table=balances", "mode=cdc");
        startStreaming();

        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<Integer>> transfers = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                transfers.add(pool.submit(() -> transfers(transfersEach, accounts)));
            }
            Future<long[]> reads = pool.submit(() -> {
                long count = 0;
                Set<String> states = new HashSet<>();
                do {
                    List<Long> seen = sync.target().queryForList("SELECT balance FROM balances ORDER BY id", Long.class);
                    long sum = seen.stream().mapToLong(Long::longValue).sum();
                    assertThat(sum).as("the sum of balances at read " + (count + 1) + ": " + seen).isEqualTo(total);
                    states.add(seen.toString());
                    count++;
                } while (writing.get());
                return new long[] {count, states.size()};
            });
            int committed = 0;
            for (Future<Integer> f : transfers) {
                committed += f.get(150, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sync.compare("balances").isEqual()).isTrue());
            writing.set(false);
            long[] result = reads.get(60, TimeUnit.SECONDS);
            System.out.printf("cdc invariant (%s): %d transfers committed by %d writers, %d reads of the target, %d distinct "
                    + "states seen, the sum was %d in every read%n", getClass().getSimpleName(), committed, writers, result[0],
                    result[1], total);
            assertThat(committed).isEqualTo(writers * transfersEach);
            assertThat(result[1]).as("the reader saw the transfers land, between the first state and the last")
                    .isGreaterThan(2);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }

    /** Moves random amounts between two random accounts, one Postgres transaction of two updates each (debit, credit). */
    private int transfers(int count, int accounts) throws SQLException {
        try (Connection c = pg.getDataSource().getConnection();
                PreparedStatement move = c.prepareStatement("UPDATE balances SET balance = balance + ? WHERE id = ?")) {
            c.setAutoCommit(false);
            for (int done = 0; done < count; done++) {
                int from = ThreadLocalRandom.current().nextInt(1, accounts + 1);
                int to = from % accounts + 1 + ThreadLocalRandom.current().nextInt(accounts - 1);
                to = (to - 1) % accounts + 1;
                int amount = ThreadLocalRandom.current().nextInt(1, 50);
                // the lower id first: concurrent transfers lock rows in one order, so none waits for another in a cycle
                int first = Math.min(from, to);
                int firstDelta = first == from ? -amount : amount;
                move.setLong(1, firstDelta);
                move.setInt(2, first);
                move.executeUpdate();
                move.setLong(1, -firstDelta);
                move.setInt(2, Math.max(from, to));
                move.executeUpdate();
                c.commit();
            }
            return count;
        }
    }
}
