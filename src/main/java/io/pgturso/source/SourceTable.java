package io.pgturso.source;

import java.util.List;
import java.util.Optional;

/**
 * A Postgres table as the catalog describes it: columns in order, primary key, its database's encoding; {@code view}
 * for a view or materialized view, whose columns' nullability the catalog does not know.
 */
public record SourceTable(String schema, String name, List<SourceColumn> columns, List<String> primaryKey, boolean view,
        String encoding) {
    /** The encoding Postgres hands text out in to the sync, and the one it needs. */
    public static final String UTF8 = "UTF8";

    /** A table of a UTF8 database. */
    public SourceTable(String schema, String name, List<SourceColumn> columns, List<String> primaryKey) {
        this(schema, name, columns, primaryKey, false, UTF8);
    }

    /**
     * Whether text may hold bytes that are not UTF-8: a {@code SQL_ASCII} database keeps any bytes, and Postgres refuses
     * to send such text to a UTF-8 client, failing the whole query; so it is read as bytes and checked per row.
     */
    public boolean textMayBeInvalid() {
        return "SQL_ASCII".equals(encoding);
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
