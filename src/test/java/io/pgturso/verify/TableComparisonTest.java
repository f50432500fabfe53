package io.pgturso.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.SyncApplication;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link TableComparison} as a test oracle: no false differences over every type and key order, and true ones found. */
public class TableComparisonTest {
    /** Text that sorts differently under a linguistic collation, in UTF-16 and in UTF-8 byte order. */
    public static final List<String> TRICKY_TEXT = List.of("", " ", "a", "A", "b", "B", "Z", "a b", "ab", "é", "É", "e", "ß", "ss",
            "日本", "😀", "\uFFFD", "\uE000", "ｚ", "z", "Zebra", "zebra", "_x", "-x", "0", "10", "9");

    @TempDir
    Path dir;
    SyncHarness sync;
    JdbcTemplate pg;
    SyncApplication app;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
        pg = sync.pg();
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private ComparisonResult compare(String table, int chunkSize) {
        app = sync.start();
        assertThat(sync.runOnce(table)).isTrue();
        return compareNow(table, chunkSize);
    }

    private ComparisonResult compareNow(String table, int chunkSize) {
        var registry = app.camel().getRegistry();
        return new TableComparison(chunkSize, 10).compare(sync.spec(table), registry.lookupByNameAndType("source", DataSource.class),
                registry.lookupByNameAndType("target", DataSource.class));
    }

    @Test
    void rows_of_every_type_compare_equal_after_a_sync() {
        pg.execute("CREATE TYPE status AS ENUM ('new', 'shipped')");
        pg.execute("""
                CREATE TABLE items (id bigint PRIMARY KEY, name text, price numeric(16, 4), qty int, ratio float8, r4 real,
                  active boolean, day date, at_local timestamp, updated_at timestamptz NOT NULL, tags text[], doc jsonb,
                  uid uuid, data bytea, state status, small smallint, span interval, t time, nothing text)""");
        pg.update("""
                INSERT INTO items SELECT g, 'héllo ✓ ' || g, g * 1.5, g, g / 7.0, g / 3.0, g % 2 = 0, '2024-02-29'::date + g,
                  '2024-05-01 10:00:00.5'::timestamp + g * interval '1 ms', '2024-05-01 12:00:00.123456+02'::timestamptz + g * interval '1 us',
                  ARRAY['a', 'b c', g::text], jsonb_build_object('k', g, 'v', ARRAY[1, 2.50]), gen_random_uuid(),
                  decode(lpad(to_hex(g), 6, '0'), 'hex'), 'shipped', -g, g * interval '1 day 2 hours', '10:00:00', NULL
                FROM generate_series(1, 50) g""");
        pg.update("UPDATE items SET ratio = '-0', r4 = 'Infinity', at_local = 'infinity', data = '\\x' WHERE id = 3");
        sync.table("items", "table=items", "cursor=updated_at");

        ComparisonResult result = compare("items", 7);

        assertThat(result.isEqual()).as(result.toString()).isTrue();
        assertThat(result.sourceRows()).isEqualTo(50);
        assertThat(result.chunks()).isEqualTo(8);
    }

    @Test
    void composite_text_keys_in_mixed_case_and_unicode_compare_in_the_same_order_on_both_sides() {
        String collation = pg.queryForObject("""
                SELECT coalesce((SELECT collname FROM pg_collation WHERE collname IN ('en_US.utf8', 'en_US', 'en-x-icu', 'und-x-icu')
                  ORDER BY collname LIMIT 1), 'default')""", String.class);
        pg.execute("CREATE TABLE labels (region text COLLATE \"" + collation + "\", code varchar(20) COLLATE \"" + collation
                + "\", n int, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (region, code))");
        List<Object[]> rows = new ArrayList<>();
        for (String region : TRICKY_TEXT) {
            for (String code : TRICKY_TEXT) {
                rows.add(new Object[] {region, code, region.length() * 100 + code.length()});
            }
        }
        pg.batchUpdate("INSERT INTO labels (region, code, n) VALUES (?, ?, ?)", rows);
        sync.table("labels", "table=labels", "cursor=updated_at");

        ComparisonResult equal = compare("labels", 5);
        sync.target().update("DELETE FROM labels WHERE region = ? AND code = ?", "😀", "É");
        sync.target().update("UPDATE labels SET n = -1 WHERE region = ? AND code = ?", "\uE000", "");
        ComparisonResult tampered = compareNow("labels", 5);

        assertThat(equal.isEqual()).as("no false differences with collation " + collation + ": " + equal).isTrue();
        assertThat(equal.sourceRows()).isEqualTo((long) TRICKY_TEXT.size() * TRICKY_TEXT.size());
        assertThat(tampered.missing().examples()).containsExactly(ComparedKey.of("😀", "É"));
        assertThat(tampered.changed().examples()).containsExactly(ComparedKey.of("\uE000", ""));
        assertThat(tampered.extra().count()).isZero();
        assertThat(tampered.differingChunks()).isEqualTo(2);
    }

    @Test
    void uuid_and_timestamp_keys_compare_in_the_same_order_on_both_sides() {
        pg.execute("CREATE TABLE visits (id uuid PRIMARY KEY, at timestamptz, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO visits (id, at) SELECT gen_random_uuid(), now() FROM generate_series(1, 200)");
        pg.execute("CREATE TABLE events (at timestamptz, seq int, day date, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (at, seq))");
        pg.update("""
                INSERT INTO events (at, seq, day) SELECT t, s, t::date FROM unnest(ARRAY['-infinity', '0001-01-01 00:00:00+00',
                  '1999-12-31 23:59:59.999999+00', '2000-01-01 00:00:00+00', '2000-01-01 00:00:00.5+00', '2000-01-01 00:00:00.25+00',
                  '9999-12-31 23:59:59+00', 'infinity']::timestamptz[]) t, generate_series(1, 3) s""");
        pg.update("UPDATE events SET day = NULL WHERE day IS NULL OR at IN ('infinity', '-infinity')");
        sync.table("visits", "table=visits", "cursor=updated_at");
        sync.table("events", "table=events", "cursor=updated_at");
        app = sync.start();
        assertThat(sync.runOnce("visits")).isTrue();
        assertThat(sync.runOnce("events")).isTrue();

        assertThat(compareNow("visits", 9).isEqual()).isTrue();
        ComparisonResult events = compareNow("events", 4);
        assertThat(events.isEqual()).as(events.toString()).isTrue();
        assertThat(events.sourceRows()).isEqualTo(24);
    }

    @Test
    void rows_marked_deleted_in_postgres_are_not_expected_in_the_target() {
        pg.execute("CREATE TABLE posts (id int PRIMARY KEY, deleted boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO posts (id, deleted) SELECT g, g % 10 = 0 FROM generate_series(1, 100) g");
        sync.table("posts", "table=posts", "cursor=updated_at", "softDelete=deleted");

        ComparisonResult result = compare("posts", 10);

        assertThat(result.isEqual()).as(result.toString()).isTrue();
        assertThat(result.sourceRows()).isEqualTo(90);
    }

    @Test
    void a_row_that_cannot_be_stored_differs_and_counts_as_known_when_dead_lettered() {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, value float8, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO readings (id, value) VALUES (1, 1), (2, 2), (3, 3)");
        sync.table("readings", "table=readings", "cursor=updated_at");
        app = sync.start();
        assertThat(sync.runOnce("readings")).isTrue();
        pg.update("UPDATE readings SET value = 'NaN', updated_at = now() WHERE id = 2");
        var registry = app.camel().getRegistry();
        DataSource source = registry.lookupByNameAndType("source", DataSource.class);
        DataSource target = registry.lookupByNameAndType("target", DataSource.class);

        ComparisonResult beforePass = new TableComparison(10, 10).compare(sync.spec("readings"), source, target, Set.of());
        assertThat(sync.runOnce("readings")).isTrue();
        ComparisonResult afterPass = compareNow("readings", 10);

        assertThat(beforePass.changed().examples()).containsExactly(ComparedKey.of(2L));
        assertThat(afterPass.matchesApartFromDeadLetters()).isTrue();
        assertThat(afterPass.isEqual()).isFalse();
        assertThat(afterPass.deadLettered().examples()).containsExactly(ComparedKey.of(2L));
    }
}
