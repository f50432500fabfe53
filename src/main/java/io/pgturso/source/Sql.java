package io.pgturso.source;

import java.util.List;
import java.util.stream.Collectors;

/** Identifier quoting shared by the Postgres and SQLite statements (both use double quotes). */
public final class Sql {
    private Sql() {
    }

    /** The identifier in double quotes, inner quotes doubled. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A text value as an SQL string literal, inner quotes doubled (Postgres' standard_conforming_strings, its default). */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The identifiers quoted and joined with commas. */
    public static String quotedList(List<String> identifiers) {
        return identifiers.stream().map(Sql::quote).collect(Collectors.joining(", "));
    }
}
