package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.libsql.hrana.Stmt;
import io.pgturso.libsql.hrana.Value;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which INSERTs are rewritten into multi-row statements, and how; parsing is conservative. */
class MultiRowInsertTest {

    private static MultiRowInsert parse(String sql) {
        return ParsedSql.of(sql).multiRowInsert();
    }

    @Test
    void a_plain_insert_becomes_a_multi_row_insert() {
        MultiRowInsert insert = parse("INSERT INTO t (a, b) VALUES (?, ?)");
        assertThat(insert.parametersPerRow()).isEqualTo(2);
        assertThat(insert.sql(3)).isEqualTo("INSERT INTO t (a, b) VALUES (?, ?),(?, ?),(?, ?)");
        assertThat(insert.maxRows()).isEqualTo(16383);
    }

    @Test
    void an_upsert_keeps_its_conflict_clause_after_the_tuples() {
        MultiRowInsert insert = parse("insert into \"my table\"(\"id\", [v]) values(?,?) on conflict(\"id\") do update "
                + "set v = excluded.v where excluded.v > \"my table\".v;");
        assertThat(insert.sql(2)).isEqualTo("insert into \"my table\"(\"id\", [v]) values(?,?),(?,?) on conflict(\"id\") "
                + "do update set v = excluded.v where excluded.v > \"my table\".v");
    }

    @Test
    void insert_or_ignore_and_replace_into_qualify() {
        assertThat(parse("INSERT OR IGNORE INTO main.t VALUES (?)").sql(2))
                .isEqualTo("INSERT OR IGNORE INTO main.t VALUES (?),(?)");
        assertThat(parse("REPLACE INTO t AS x (a) VALUES (?)").sql(2)).isEqualTo("REPLACE INTO t AS x (a) VALUES (?),(?)");
    }

    @Test
    void expressions_over_placeholders_are_repeated_per_row() {
        MultiRowInsert insert = parse("INSERT INTO t (a, b) VALUES (?, (? * power(2.0, ?))) ON CONFLICT (a) DO NOTHING");
        assertThat(insert.parametersPerRow()).isEqualTo(3);
        assertThat(insert.sql(2)).isEqualTo(
                "INSERT INTO t (a, b) VALUES (?, (? * power(2.0, ?))),(?, (? * power(2.0, ?))) ON CONFLICT (a) DO NOTHING");
    }

    @Test
    void quotes_and_comments_do_not_fool_the_parser() {
        MultiRowInsert insert = parse("INSERT INTO t (\"we(ird\", `b)`) /* VALUES (?, ?) */ VALUES (?, ?) -- , (?)\n");
        assertThat(insert.parametersPerRow()).isEqualTo(2);
        assertThat(insert.sql(2)).startsWith("INSERT INTO t (\"we(ird\", `b)`) /* VALUES (?, ?) */ VALUES (?, ?),(?, ?)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO t (a) SELECT ? FROM u",
        "INSERT INTO t (a, b) VALUES (?, 1)",
        "INSERT INTO t (a) VALUES (?), (?)",
        "INSERT INTO t (a) VALUES (?) ON CONFLICT(a) DO UPDATE SET b = ?",
        "INSERT INTO t (a) VALUES (?) RETURNING id",
        "INSERT INTO t (a) VALUES (?); DELETE FROM t",
        "INSERT INTO t (a) VALUES (?1)",
        "INSERT INTO t (a) VALUES (:a)",
        "INSERT INTO t DEFAULT VALUES",
        "INSERT INTO t (a) VALUES ('(?)')",
        "WITH x AS (SELECT 1) INSERT INTO t (a) VALUES (?)",
        "UPDATE t SET a = ?",
        "INSERT INTO t (f(a)) VALUES (?)",
        "INSERT INTO t VALUES ()"
    })
    void anything_else_is_sent_as_is(String sql) {
        assertThat(parse(sql)).isNull();
    }

    @Test
    void parameters_are_counted_as_sqlite_numbers_them() {
        assertThat(ParsedSql.of("SELECT ?, '?', \"?\", ? -- ?\n").parameterCount()).isEqualTo(2);
        assertThat(ParsedSql.of("SELECT ?3, ?").parameterCount()).isEqualTo(4);
        assertThat(ParsedSql.of("SELECT :a, :b, :a").parameterCount()).isEqualTo(2);
    }

    @Test
    void statements_are_sorted_into_kinds() {
        assertThat(ParsedSql.of("  select 1").kind()).isEqualTo(ParsedSql.Kind.QUERY);
        assertThat(ParsedSql.of("/* c */ WITH x AS (SELECT 1) SELECT * FROM x").kind()).isEqualTo(ParsedSql.Kind.QUERY);
        assertThat(ParsedSql.of("WITH x AS (SELECT 1) DELETE FROM t").kind()).isEqualTo(ParsedSql.Kind.WRITE);
        assertThat(ParsedSql.of("PRAGMA table_info(t)").kind()).isEqualTo(ParsedSql.Kind.QUERY);
        assertThat(ParsedSql.of("PRAGMA foreign_keys = ON").kind()).isEqualTo(ParsedSql.Kind.OTHER);
        assertThat(ParsedSql.of("begin immediate").opensTransaction()).isTrue();
        assertThat(ParsedSql.of("INSERT INTO t VALUES (1) RETURNING id").producesRows()).isTrue();
        assertThat(ParsedSql.of("CREATE TABLE t (a)").kind()).isEqualTo(ParsedSql.Kind.OTHER);
    }

    @Test
    void inlined_rows_are_written_as_literals_and_what_cannot_be_one_stays_an_argument() {
        ParsedSql parsed = ParsedSql.of("INSERT INTO \"t\" (a, b, c) VALUES (?, ?, ?) ON CONFLICT (a) DO NOTHING");
        java.util.List<BoundStatement> rows = java.util.List.of(
                new BoundStatement(parsed, java.util.List.of(Value.of(7), Value.of("it's \"q\" \\ \n é 中 \uD83D\uDE00"),
                        Value.NULL)),
                new BoundStatement(parsed, java.util.List.of(Value.of(-3), Value.of("nul\0"), Value.of(1.5))),
                new BoundStatement(parsed, java.util.List.of(Value.of(Long.MIN_VALUE), Value.of(new byte[] {1}),
                        Value.of(Double.NEGATIVE_INFINITY))));

        Stmt stmt = parsed.multiRowInsert().inlined(rows, 0, 3);

        assertThat(stmt.sql()).isEqualTo("INSERT INTO \"t\" (a, b, c) VALUES (7, 'it''s \"q\" \\ \n é 中 \uD83D\uDE00', NULL),"
                + "((-3), ?, ?),(?, ?, (-9e999)) ON CONFLICT (a) DO NOTHING");
        assertThat(stmt.args()).containsExactly(Value.of("nul\0"), Value.of(1.5), Value.of(Long.MIN_VALUE),
                Value.of(new byte[] {1}));
        assertThat(stmt.wantRows()).isFalse();
    }
}
