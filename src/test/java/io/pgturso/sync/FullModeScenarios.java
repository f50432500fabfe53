package io.pgturso.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Full mode on tables without a cursor, as a schema without {@code updated_at} needs it: a pass writes only the rows that
 * differ from the target and deletes the rows gone from Postgres. Rows written are counted on the target by triggers,
 * not by the sync's own counters.
 */
@Timeout(180)
abstract class FullModeScenarios {
    @TempDir
    Path dir;
    TestTarget target;
    SyncHarness sync;
    JdbcTemplate pg;

    abstract TestTarget newTarget(Path dir);

    @BeforeEach
    void setUp() {
        target = newTarget(dir);
        sync = SyncHarness.create(dir, target);
        pg = sync.pg();
    }

    @AfterEach
    void tearDown() {
        sync.close();
        target.close();
    }

    /** Counts every row inserted, updated or deleted in a target table from now on (triggers on the target). */
    private void countWrites(String table) {
        JdbcTemplate t = sync.target();
        t.execute("CREATE TABLE IF NOT EXISTS test_writes (n INTEGER NOT NULL)");
        t.execute("DELETE FROM test_writes");
        t.execute("INSERT INTO test_writes VALUES (0)");
        for (String event : List.of("INSERT", "UPDATE", "DELETE")) {
            t.execute("CREATE TRIGGER IF NOT EXISTS test_count_" + table + "_" + event.toLowerCase() + " AFTER " + event + " ON \""
                    + table + "\" BEGIN UPDATE test_writes SET n = n + 1; END");
        }
    }

    /** Compares the table as verify does: equal on both sides. */
    private void assertEqual(String table) {
        if (sync.app() == null) {
            sync.start();
        }
        io.pgturso.verify.ComparisonResult result = sync.compare(table);
        assertThat(result.isEqual()).as(result.toString()).isTrue();
    }

    private long writes() {
        return sync.target().queryForObject("SELECT n FROM test_writes", Long.class);
    }

    private void film() {
        pg.execute("CREATE TABLE film (film_id int PRIMARY KEY, title text NOT NULL, rate numeric(4,2), length int, "
                + "rating text, special text[], score float8, cover bytea)");
        pg.update("INSERT INTO film SELECT g, 'Film ' || g, (g % 5) + 0.99, 80 + g % 90, 'PG', ARRAY['Trailers'], g / 7.0, "
                + "decode(lpad(to_hex(g), 4, '0'), 'hex') FROM generate_series(1, 1000) g");
        sync.table("film", "table=film", "mode=full", "batchSize=97");
    }

    private void filmActor() {
        pg.execute("CREATE TABLE film_actor (actor_id int, film_id int, last_update date NOT NULL DEFAULT '2024-01-01', "
                + "PRIMARY KEY (actor_id, film_id))");
        pg.update("INSERT INTO film_actor (actor_id, film_id) SELECT a, f FROM generate_series(1, 20) a, generate_series(1, 40) f");
        sync.table("film_actor", "table=film_actor", "mode=full", "batchSize=53");
    }

    @Test
    void a_second_full_pass_with_nothing_changed_writes_no_row_into_the_target() {
        film();
        filmActor();
        assertThat(sync.cli("once").exitCode()).isZero();
        countWrites("film");
        countWrites("film_actor");

        SyncHarness.CliResult second = sync.cli("once");

        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).as("nothing sent, not only nothing written")
                .contains("film: 0 rows written (full pass: 1000 rows unchanged, 0 deleted as gone from Postgres)")
                .contains("film_actor: 0 rows written (full pass: 800 rows unchanged, 0 deleted as gone from Postgres)");
        assertThat(writes()).as("rows written into the target by a pass with nothing changed").isZero();
        assertThat(sync.target().queryForObject("SELECT count(*) FROM film", Long.class)).isEqualTo(1000);
        assertThat(sync.target().queryForObject("SELECT count(*) FROM film_actor", Long.class)).isEqualTo(800);
    }

    @Test
    void a_full_pass_writes_exactly_the_rows_that_changed_and_deletes_the_rows_gone_from_postgres() {
        film();
        filmActor();
        assertThat(sync.cli("once").exitCode()).isZero();
        countWrites("film");
        countWrites("film_actor");
        // changes at page edges (97 rows a page), at both ends of the table, and a delete of a whole page's range
        pg.update("UPDATE film SET title = 'changed' WHERE film_id IN (1, 97, 98, 500, 1000)");
        pg.update("UPDATE film SET cover = '\\x00' WHERE film_id = 7");
        pg.update("INSERT INTO film (film_id, title) VALUES (1001, 'new'), (1500, 'new too')");
        pg.update("DELETE FROM film WHERE film_id IN (2, 194, 195) OR film_id BETWEEN 300 AND 420");
        pg.update("DELETE FROM film_actor WHERE actor_id = 20 OR (actor_id = 1 AND film_id = 1)");
        pg.update("UPDATE film_actor SET last_update = '2024-02-02' WHERE actor_id = 5 AND film_id BETWEEN 10 AND 12");

        SyncHarness.CliResult once = sync.cli("once");

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        long expected = 5 + 1 + 2 + (3 + 121) + (40 + 1) + 3;
        assertThat(writes()).as("rows written into the target").isEqualTo(expected);
        assertEqual("film");
        assertEqual("film_actor");
        assertThat(sync.cli("verify").exitCode()).isZero();
    }

    @Test
    void an_upsert_of_a_row_equal_to_the_target_writes_nothing() {
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, name text, total float8, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO orders (id, name, total) SELECT g, 'o' || g, g / 3.0 FROM generate_series(1, 300) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=100");
        assertThat(sync.cli("once").exitCode()).isZero();
        countWrites("orders");
        assertThat(sync.cli("reset-checkpoint", "--table", "orders").exitCode()).isZero();

        assertThat(sync.cli("once").exitCode()).isZero();

        assertThat(writes()).as("rows written when every row is upserted again unchanged").isZero();
    }

    @Test
    void a_full_pass_compares_the_values_a_row_hook_and_computed_columns_give() throws Exception {
        Files.copy(Path.of(System.getProperty("project.dir", ".")).resolve("routes/examples/mask-email.camel.yaml"),
                dir.resolve("routes/mask-email.camel.yaml"));
        pg.execute("CREATE TABLE customer (customer_id int PRIMARY KEY, first_name text, last_name text, email text, active boolean)");
        pg.update("INSERT INTO customer SELECT g, 'F' || g, 'L' || g, 'c' || g || '@example.com', g % 3 <> 0 FROM generate_series(1, 300) g");
        sync.table("customer", "table=customer", "mode=full", "batchSize=64", "transform=direct:mask-email",
                "expressions=full_name: first_name || ' ' || last_name", "where=active");
        assertThat(sync.cli("once").exitCode()).isZero();
        countWrites("customer");
        assertThat(sync.target().queryForObject("SELECT count(*) FROM customer", Long.class)).isEqualTo(200);

        assertThat(sync.cli("once").exitCode()).isZero();
        long unchanged = writes();
        pg.update("UPDATE customer SET email = 'new@example.com' WHERE customer_id = 1");
        pg.update("UPDATE customer SET last_name = 'Renamed' WHERE customer_id = 2");
        pg.update("UPDATE customer SET active = false WHERE customer_id = 4");
        assertThat(sync.cli("once").exitCode()).isZero();

        assertThat(unchanged).as("rows written by a pass with nothing changed").isZero();
        assertThat(writes()).as("two rows changed, one stopped matching where").isEqualTo(3);
        assertThat(sync.target().queryForObject("SELECT full_name FROM customer WHERE customer_id = 2", String.class))
                .isEqualTo("F2 Renamed");
        assertThat(sync.target().queryForObject("SELECT email FROM customer WHERE customer_id = 1", String.class))
                .hasSize(64).doesNotContain("@");
        assertThat(sync.target().queryForObject("SELECT count(*) FROM customer WHERE customer_id = 4", Long.class)).isZero();
    }

    @Test
    void a_full_pass_over_text_keys_of_a_linguistic_collation_deletes_only_what_postgres_lacks() {
        String collation = pg.queryForObject("""
                SELECT coalesce((SELECT collname FROM pg_collation WHERE collname IN ('en_US.utf8', 'en_US', 'en-x-icu', 'und-x-icu')
                  ORDER BY collname LIMIT 1), 'default')""", String.class);
        pg.execute("CREATE TABLE labels (region text COLLATE \"" + collation + "\", code varchar(20) COLLATE \"" + collation
                + "\", n int, PRIMARY KEY (region, code))");
        List<String> tricky = List.of("", " ", "a", "A", "b", "B", "Z", "a b", "ab", "é", "É", "e", "ß", "ss", "日本", "😀",
                "\uE000", "ｚ", "z", "Zebra", "zebra", "_x", "-x", "0", "10", "9");
        List<Object[]> rows = new ArrayList<>();
        for (String region : tricky) {
            for (String code : tricky) {
                rows.add(new Object[] {region, code, region.length() * 100 + code.length()});
            }
        }
        pg.batchUpdate("INSERT INTO labels (region, code, n) VALUES (?, ?, ?)", rows);
        sync.table("labels", "table=labels", "mode=full", "batchSize=31");
        assertThat(sync.cli("once").exitCode()).isZero();
        countWrites("labels");

        assertThat(sync.cli("once").exitCode()).isZero();
        long unchanged = writes();
        pg.update("DELETE FROM labels WHERE region = 'B' OR code = 'é'");
        pg.update("UPDATE labels SET n = -1 WHERE region = 'a' AND code = 'Z'");
        assertThat(sync.cli("once").exitCode()).isZero();

        assertThat(unchanged).as("rows written by a pass with nothing changed (collation " + collation + ")").isZero();
        assertThat(writes()).isEqualTo(tricky.size() + tricky.size() - 1 + 1);
        assertEqual("labels");
    }

    @Test
    void a_full_pass_leaves_a_dead_lettered_row_in_place_and_writes_nothing_else() {
        pg.execute("CREATE TABLE measures (id int PRIMARY KEY, v float8)");
        pg.update("INSERT INTO measures SELECT g, g FROM generate_series(1, 50) g");
        sync.table("measures", "table=measures", "mode=full", "batchSize=20");
        assertThat(sync.cli("once").exitCode()).isZero();
        countWrites("measures");
        pg.update("UPDATE measures SET v = 'NaN' WHERE id = 25");

        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(sync.cli("once").exitCode()).isZero();

        assertThat(writes()).as("the NaN row is dead-lettered: its old copy stays, nothing else is written").isZero();
        assertThat(sync.target().queryForObject("SELECT v FROM measures WHERE id = 25", Double.class)).isEqualTo(25.0);
        assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isEqualTo(1);
    }

    @Test
    void status_and_plan_show_the_last_full_pass_and_the_rows_that_differed() {
        film();
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.update("UPDATE film SET title = 'changed' WHERE film_id IN (5, 6)");
        pg.update("DELETE FROM film WHERE film_id = 7");
        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(sync.cli("verify").exitCode()).isZero();

        String status = sync.cli("status").out();
        String plan = sync.cli("plan").out();

        String filmLine = status.lines().filter(l -> l.startsWith("film ")).findFirst().orElseThrow();
        assertThat(filmLine).as(status).contains("3 rows differed, 999 read").doesNotContain(" 1000  ").doesNotContain("(start)");
        assertThat(filmLine.split("\\s+")[3]).as("pending: " + status).isEqualTo("-");
        assertThat(filmLine.split("\\s+")[5]).as("written: " + status).isEqualTo("1003");
        assertThat(plan).contains("every pass, compared with the target: only rows that differ are written")
                .contains("last pass").contains("3 rows differed").doesNotContain("no checkpoint");
    }

    @Test
    void rows_of_every_type_are_found_unchanged_by_the_next_full_pass() {
        pg.execute("CREATE TYPE status AS ENUM ('new', 'shipped')");
        pg.execute("""
                CREATE TABLE items (id bigint PRIMARY KEY, name text, price numeric(16, 4), qty int, ratio float8, r4 real,
                  active boolean, day date, at_local timestamp, at timestamptz, tags text[], doc jsonb, uid uuid, data bytea,
                  state status, small smallint, span interval, t time, code char(6), ip inet, cash money, stamps timestamptz[],
                  nothing text)""");
        pg.update("""
                INSERT INTO items SELECT g, 'héllo ✓ ' || g, g * 1.5, g, g / 7.0, g / 3.0, g % 2 = 0, '2024-02-29'::date + g,
                  '2024-05-01 10:00:00.5'::timestamp + g * interval '1 ms', '2024-05-01 12:00:00.123456+02'::timestamptz + g * interval '1 us',
                  ARRAY['a', 'b c', g::text], jsonb_build_object('k', g, 'v', ARRAY[1, 2.50]), gen_random_uuid(),
                  decode(lpad(to_hex(g), 6, '0'), 'hex'), 'shipped', -g, g * interval '1 day 2 hours', '10:00:00', 'c' || g,
                  ('10.0.0.' || (g % 250))::inet, (g * 1.25)::numeric::money, ARRAY['2024-01-01 00:00:00+00'::timestamptz + g * interval '1 s'], NULL
                FROM generate_series(1, 60) g""");
        pg.update("UPDATE items SET ratio = '-0', r4 = 'Infinity', at_local = 'infinity', data = '\\x' WHERE id = 3");
        pg.update("UPDATE items SET ratio = '-Infinity', r4 = '-Infinity', qty = NULL WHERE id = 4");
        sync.table("items", "table=items", "mode=full", "batchSize=25");
        assertThat(sync.cli("once").exitCode()).isZero();
        countWrites("items");

        SyncHarness.CliResult second = sync.cli("once");

        assertThat(second.out()).as(second.out() + second.err())
                .contains("items: 0 rows written (full pass: 60 rows unchanged, 0 deleted as gone from Postgres)");
        assertThat(writes()).isZero();
    }

    @Test
    void the_rows_written_metric_counts_only_the_rows_that_differed() {
        film();
        sync.start();
        assertThat(sync.runOnce("film")).isTrue();
        assertThat(sync.runOnce("film")).isTrue();
        double afterUnchanged = counter("pgturso.rows.written", "film");
        pg.update("UPDATE film SET title = 'changed' WHERE film_id IN (10, 20)");
        pg.update("DELETE FROM film WHERE film_id = 30");
        assertThat(sync.runOnce("film")).isTrue();

        assertThat(afterUnchanged).as("first pass 1000 rows, the unchanged pass none").isEqualTo(1000.0);
        assertThat(counter("pgturso.rows.written", "film")).isEqualTo(1002.0);
        assertThat(counter("pgturso.rows.deleted", "film")).isEqualTo(1.0);
    }

    private double counter(String name, String table) {
        io.micrometer.core.instrument.MeterRegistry meters = sync.app().camel().getRegistry()
                .lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        io.micrometer.core.instrument.Counter counter = meters.find(name).tag("table", table).counter();
        return counter == null ? 0 : counter.count();
    }
}
