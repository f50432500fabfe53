package io.pgturso.target;

import io.pgturso.source.ColumnSpec;
import io.pgturso.source.Sql;
import io.pgturso.source.TableSpec;
import io.pgturso.types.Doubles;
import java.util.List;
import java.util.stream.Collectors;

/** The SQLite/libSQL statements for a target table: create, add column, and the guarded upsert. */
public final class TargetSql {
    /** SQLite's (and libSQL's) most bound parameters of one statement. */
    public static final int MAX_PARAMETERS = 32_766;

    private TargetSql() {
    }

    /** {@code CREATE TABLE IF NOT EXISTS} with the mapped types and the primary key. */
    public static String createTable(TableSpec spec) {
        return createTable(spec, spec.targetTable());
    }

    /** As {@link #createTable(TableSpec)}, under another name (a table being rebuilt). */
    public static String createTable(TableSpec spec, String name) {
        String columns = spec.targetColumns().stream()
                .map(c -> Sql.quote(c.target()) + " " + c.kind().targetType() + (spec.key().contains(c) ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "));
        return "CREATE TABLE IF NOT EXISTS " + Sql.quote(name) + " (" + columns + ", PRIMARY KEY ("
                + targets(spec.key()) + "))";
    }

    /** {@code ALTER TABLE ... ADD COLUMN} for a column added in Postgres. */
    public static String addColumn(TableSpec spec, ColumnSpec column) {
        return "ALTER TABLE " + Sql.quote(spec.targetTable()) + " ADD COLUMN " + Sql.quote(column.target()) + " "
                + column.kind().targetType();
    }

    /**
     * Inserts a row or updates it in place ({@code ON CONFLICT DO UPDATE}, never {@code INSERT OR REPLACE}); with a
     * cursor, an older version never overwrites a newer one, so replaying a page changes nothing; a row equal to the
     * target's is not written at all.
     */
    public static String upsert(TableSpec spec) {
        return upsert(spec, 1);
    }

    /** The upsert with {@code rows} value tuples, for rows bound together ({@link RowGroup}). */
    public static String upsert(TableSpec spec, int rows) {
        String table = Sql.quote(spec.targetTable());
        String placeholders = spec.targetColumns().stream()
                .map(c -> spec.exactDoubles() && c.kind().isReal() ? Doubles.EXACT_PLACEHOLDER : "?")
                .collect(Collectors.joining(", "));
        String tuples = String.join(", ", java.util.Collections.nCopies(rows, "(" + placeholders + ")"));
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(targets(spec.targetColumns()))
                .append(") VALUES ").append(tuples).append(" ON CONFLICT (").append(targets(spec.key())).append(") ");
        List<ColumnSpec> updated = spec.targetColumns().stream().filter(c -> !spec.key().contains(c)).toList();
        if (updated.isEmpty()) {
            return sql.append("DO NOTHING").toString();
        }
        sql.append("DO UPDATE SET ").append(updated.stream()
                .map(c -> Sql.quote(c.target()) + " = excluded." + Sql.quote(c.target()))
                .collect(Collectors.joining(", ")));
        sql.append(" WHERE ");
        if (spec.cursor() != null) {
            String cursor = Sql.quote(spec.cursor().target());
            sql.append("(excluded.").append(cursor).append(" IS NULL OR ").append(table).append('.').append(cursor)
                    .append(" IS NULL OR excluded.").append(cursor).append(" >= ").append(table).append('.').append(cursor)
                    .append(") AND ");
        }
        // a row whose values are all equal is left alone: SQLite then counts no change and fires no trigger
        sql.append('(').append(updated.stream()
                .map(c -> "excluded." + Sql.quote(c.target()) + " IS NOT " + table + "." + Sql.quote(c.target()))
                .collect(Collectors.joining(" OR "))).append(')');
        return sql.toString();
    }

    /**
     * Deletes a row by key, unless the target already holds a newer version (parameters: key values, then cursor). A
     * NULL cursor read wins, as in the upsert: the row deleted with its cursor set to NULL leaves the target too.
     */
    public static String delete(TableSpec spec) {
        String table = Sql.quote(spec.targetTable());
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(table).append(" WHERE ").append(spec.key().stream()
                .map(c -> Sql.quote(c.target()) + " = ?").collect(Collectors.joining(" AND ")));
        if (spec.cursor() != null) {
            String cursor = Sql.quote(spec.cursor().target());
            sql.append(" AND (").append(cursor).append(" IS NULL OR ").append(cursor).append(" <= coalesce(?, ").append(cursor)
                    .append("))");
        }
        return sql.toString();
    }

    private static String targets(List<ColumnSpec> columns) {
        return Sql.quotedList(columns.stream().map(ColumnSpec::target).toList());
    }
}
