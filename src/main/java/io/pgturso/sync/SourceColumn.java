package io.pgturso.sync;

/** One column of a Postgres table as the catalog describes it. */
public record SourceColumn(String name, String typeName, String category, String declaredType, boolean notNull) {
}
