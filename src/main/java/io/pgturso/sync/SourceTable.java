package io.pgturso.sync;

import java.util.List;
import java.util.Optional;

/**
 * A Postgres table as the catalog describes it: columns in order and primary key; {@code view} for a view or
 * materialized view, whose columns' nullability the catalog does not know.
 */
public record SourceTable(String schema, String name, List<SourceColumn> columns, List<String> primaryKey, boolean view) {

    public SourceTable(String schema, String name, List<SourceColumn> columns, List<String> primaryKey) {
        this(schema, name, columns, primaryKey, false);
    }

    /** The column with exactly this name, if any. */
    public Optional<SourceColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** Schema and table, quoted for Postgres. */
    public String qualifiedName() {
        return Sql.quote(schema) + "." + Sql.quote(name);
    }
}
