package io.pgturso.libsql.hrana;

/** A result column: its name and declared type (null for expressions). */
public record Column(String name, String decltype) {
}
