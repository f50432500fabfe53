package io.pgturso.pass;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.ChangeDuringPass;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Pages read with Postgres' binary COPY, the next one read while a page is written: the same values land, in the same
 * rows, with the same dead letters, and a row hook sees the same rows (computed columns too), as when every page is read
 * through the driver ({@code sync.source.copy-pages=false}).
 */
@Timeout(120)
class CopiedPagesTest {
    @AfterEach
    void noHook() {
        ChangeDuringPass.reset();
    }

    private static final String COLUMNS = "k, i2, i4, i8, o, f4, f8, n, b, bin, t, vc, ch, d, ts, j, arr, tsarr, m, ip, u, iv, "
            + "updated_at, twice, loud, late";

    @TempDir
    Path dir;

    @Test
    void copied_pages_land_every_value_and_dead_letter_as_pages_read_through_the_driver() throws Exception {
        Landed copied = sync("copied", true);
        Landed queried = sync("queried", false);

        assertThat(copied.pageQueryRuns()).as("runs of the driver's prepared page query: COPY reads the pages").isZero();
        assertThat(queried.pageQueryRuns()).as("runs of the driver's prepared page query").isPositive();
        assertThat(copied.rows()).hasSize(39).isEqualTo(queried.rows());
        assertThat(copied.deadLetters()).containsExactly("{\"k\":\"nan\"}").isEqualTo(queried.deadLetters());
        assertThat(copied.hooked()).as("the rows the row hook saw").hasSize(39).isEqualTo(queried.hooked());
    }

    @Test
    void a_row_refused_in_a_copied_page_is_dead_lettered_alone_and_the_rest_of_its_page_lands() throws Exception {
        TestTarget target = TestTarget.file(dir);
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz NOT NULL)");
            pg.update("INSERT INTO docs SELECT g, CASE WHEN g = 7 THEN repeat('y', 5000) ELSE 'doc ' || g END, "
                    + "'2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, 20) g");
            sync.property("sync.max-value-bytes", "1000");
            sync.property("sync.batch-size", "5");
            sync.table("docs", "table=docs", "cursor=updated_at");
            sync.start();

            assertThat(sync.runOnce("docs")).isTrue();

            assertThat(target.jdbc().queryForList("SELECT id FROM docs ORDER BY id", Integer.class))
                    .isEqualTo(IntStream.rangeClosed(1, 20).filter(i -> i != 7).boxed().toList());
            assertThat(target.jdbc().queryForList("SELECT row_key FROM pgturso_dead_letters", String.class))
                    .containsExactly("{\"id\":\"7\"}");
            assertThat(target.jdbc().queryForObject("SELECT position FROM pgturso_checkpoints WHERE sync_table = 'docs'",
                    String.class)).contains("2024-01-01 00:00:20");
        }
    }

    @Test
    void a_where_filter_with_a_question_mark_of_its_own_is_read_through_the_driver() throws Exception {
        TestTarget target = TestTarget.file(dir);
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE notes (id int PRIMARY KEY, note text, updated_at timestamptz NOT NULL)");
            pg.update("INSERT INTO notes SELECT g, CASE WHEN g % 2 = 0 THEN '?' ELSE 'note ' || g END, "
                    + "'2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, 20) g");
            sync.property("sync.batch-size", "3");
            sync.table("notes", "table=notes", "cursor=updated_at", "where=note <> '?'");
            sync.start();

            assertThat(sync.runOnce("notes")).isTrue();

            assertThat(target.jdbc().queryForList("SELECT id FROM notes ORDER BY id", Integer.class))
                    .isEqualTo(IntStream.rangeClosed(1, 20).filter(i -> i % 2 == 1).boxed().toList());
        }
    }

    /** The rows (each value as SQLite quotes it, with its type) and dead letters of one first pass of the table. */
    private Landed sync(String name, boolean copyPages) throws Exception {
        Path here = Files.createDirectories(dir.resolve(name));
        TestTarget target = TestTarget.file(here);
        try (SyncHarness sync = SyncHarness.create(here, target)) {
            fill(sync.pg());
            // one session, so that its prepared statements can be read back afterwards
            sync.property("sync.source.pool-size", "1");
            sync.property("sync.batch-size", "4");
            sync.property("sync.source.copy-pages", Boolean.toString(copyPages));
            Files.writeString(sync.dir().resolve("routes/change-during-pass.camel.yaml"), ChangeDuringPass.ROUTE);
            Set<String> hooked = ConcurrentHashMap.newKeySet();
            ChangeDuringPass.onRow(row -> hooked.add(new TreeMap<>(row).entrySet().stream()
                    .map(e -> e.getKey() + "=" + (e.getValue() instanceof byte[] b ? Arrays.toString(b) : e.getValue())
                            + " (" + (e.getValue() == null ? null : e.getValue().getClass().getSimpleName()) + ")")
                    .collect(Collectors.joining(", "))));
            sync.table("mixed", "table=mixed", "cursor=updated_at", "transform=direct:change-during-pass",
                    "expressions=twice: i4::bigint * 2, loud: upper(vc), late: updated_at + interval '1 day'");
            sync.start();
            assertThat(sync.runOnce("mixed")).isTrue();

            DataSource source = sync.app().camel().getRegistry().lookupByNameAndType("source", DataSource.class);
            long runs = new JdbcTemplate(source).queryForObject("SELECT coalesce(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements "
                    + "WHERE statement LIKE 'SELECT %FROM \"public\".\"mixed\"%'", Long.class);
            String quoted = List.of(COLUMNS.split(", ")).stream().map(c -> "quote(\"" + c + "\")")
                    .collect(Collectors.joining(" || '|' || "));
            List<String> rows = target.jdbc().queryForList("SELECT " + quoted + " FROM mixed ORDER BY k", String.class);
            List<String> letters = target.jdbc().queryForList(
                    "SELECT row_key FROM pgturso_dead_letters ORDER BY row_key", String.class);
            return new Landed(rows, letters, runs, new TreeSet<>(hooked));
        }
    }

    /** Values of every kind, text keys that need quoting as positions, equal cursors, NULLs; a NaN (a dead letter). */
    private static void fill(JdbcTemplate pg) {
        pg.execute("CREATE TABLE mixed (k text PRIMARY KEY, i2 smallint, i4 int, i8 bigint, o oid, f4 real, f8 float8, "
                + "n numeric(12, 3), b boolean, bin bytea, t text, vc varchar(20), ch char(5), d date, ts timestamp, j jsonb, "
                + "arr int[], tsarr timestamptz[], m money, ip inet, u uuid, iv interval, updated_at timestamptz NOT NULL)");
        pg.update("INSERT INTO mixed SELECT 'key ' || g, g - 20, g * 100000, g * 10000000000, g, g / 3.0, g / 7.0, g / 9.0, "
                + "g % 2 = 0, decode(lpad(to_hex(g), 4, '0'), 'hex'), 'text ' || g || E'\\t\\n\\\\ end', 'vc' || g, 'c' || g, "
                + "'2024-01-01'::date + g, '2024-01-01 10:00'::timestamp + g * interval '1.5 second', "
                + "jsonb_build_object('g', g, 's', 'x\"y'), ARRAY[g, NULL, -g], "
                + "ARRAY['2024-01-01 00:00:00.5+02'::timestamptz + g * interval '1 hour'], (g * 1.25)::numeric::money, "
                + "('10.0.0.' || g)::inet, md5(g::text)::uuid, g * interval '1 minute 1.5 second', "
                + "'2024-01-01'::timestamptz + (g / 3) * interval '1 second' FROM generate_series(1, 30) g");
        pg.update("INSERT INTO mixed (k, updated_at) VALUES ('nulls', '2024-01-01 00:00:05+00')");
        pg.update("INSERT INTO mixed (k, i2, i4, i8, o, f4, f8, t, updated_at) VALUES ('extremes', -32768, -2147483648, "
                + "-9223372036854775808, 4294967295, '-Infinity', '1e308', '', '2024-01-01 00:00:05+00')");
        for (String key : List.of("O'Brien", "back\\slash", "E'x\\'", "what?", "tab\there", "üñí \uD83D\uDE00", "  ")) {
            pg.update("INSERT INTO mixed (k, t, f8, updated_at) VALUES (?, ?, 0.1, '2024-01-01 00:00:07+00')", key, key);
        }
        pg.update("INSERT INTO mixed (k, f8, updated_at) VALUES ('nan', 'NaN', '2024-01-01 00:00:08+00')");
    }

    private record Landed(List<String> rows, List<String> deadLetters, long pageQueryRuns, Set<String> hooked) {
    }
}
