package io.pgturso.verify;

import io.pgturso.source.ChangeQuery;
import io.pgturso.types.ColumnKind;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.KeyOrder;
import io.pgturso.source.Sql;
import io.pgturso.source.TableSpec;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The keyset statements that read a table in key order, chunk by chunk, on both sides. Both sides must order keys
 * alike: Postgres orders text keys with {@code COLLATE "C"} (UTF-8 byte order, SQLite's BINARY), everything else by its
 * native order, which matches the order of the values the sync stores (integers numerically, ISO-8601 text by time).
 */
public final class ChunkSql {
    private ChunkSql() {
    }

    /** Postgres: the {@code columns} of the rows with key after the lower bound and up to the upper bound, {@code LIMIT ?}. */
    static String sourceRows(TableSpec spec, List<ColumnSpec> columns, boolean afterLower, boolean throughUpper) {
        List<String> conditions = new ArrayList<>();
        live(spec).ifPresent(conditions::add);
        String order = spec.key().stream().map(ChunkSql::sourceOrder).collect(Collectors.joining(", "));
        String params = spec.key().stream().map(ChunkSql::sourceParameter).collect(Collectors.joining(", "));
        if (afterLower) {
            conditions.add("(" + order + ") > (" + params + ")");
        }
        if (throughUpper) {
            conditions.add("(" + order + ") <= (" + params + ")");
        }
        return "SELECT " + sourceSelect(columns) + from(spec) + where(conditions) + " ORDER BY " + order + " LIMIT ?";
    }

    /** Postgres: which of {@code count} keys exist (equality, not order, so it holds whatever the collation). */
    static String sourceKeysIn(TableSpec spec, int count) {
        String order = spec.key().stream().map(ChunkSql::sourceOrder).collect(Collectors.joining(", "));
        String one = "(" + spec.key().stream().map(ChunkSql::sourceParameter).collect(Collectors.joining(", ")) + ")";
        List<String> conditions = new ArrayList<>();
        live(spec).ifPresent(conditions::add);
        conditions.add("(" + order + ") IN (" + String.join(", ", Collections.nCopies(count, one)) + ")");
        return "SELECT " + sourceSelect(spec.key()) + from(spec) + where(conditions);
    }

    /** The table under the alias the passes give it, so a where naming {@code src.column} reads the same here. */
    private static String from(TableSpec spec) {
        return " FROM " + spec.source().qualifiedName() + " AS " + ChangeQuery.TABLE_ALIAS;
    }

    /** Target: the {@code columns} of the rows with key after the lower bound, in key order, {@code LIMIT ?}. */
    public static String targetRows(TableSpec spec, List<ColumnSpec> columns, boolean afterLower) {
        String key = targets(spec.key());
        String sql = "SELECT " + targetSelect(columns) + " FROM " + Sql.quote(spec.targetTable());
        if (afterLower) {
            // tursodb scans the whole table for a row value, even of one column: a single key compares plainly
            sql += spec.key().size() == 1 ? " WHERE " + key + " > ?"
                    : " WHERE (" + key + ") > (" + placeholders(spec.key().size()) + ")";
        }
        return sql + " ORDER BY " + key + " LIMIT ?";
    }

    /**
     * Target: the {@code columns} of the rows with key in a range, in key order, {@code LIMIT ?}: after (or, with
     * {@code fromLower}, from) the lower bound and through the upper one. Parameters: {@link #rangeParameters}. A
     * composite key also bounds its first column plainly, which lets tursodb use the key's index (it scans for a row value).
     */
    static String targetRange(TableSpec spec, List<ColumnSpec> columns, boolean lower, boolean fromLower, boolean upper) {
        List<String> conditions = new ArrayList<>();
        if (lower) {
            conditions.addAll(bound(spec, fromLower ? ">=" : ">"));
        }
        if (upper) {
            conditions.addAll(bound(spec, "<="));
        }
        return "SELECT " + targetSelect(columns) + " FROM " + Sql.quote(spec.targetTable()) + where(conditions) + " ORDER BY "
                + targets(spec.key()) + " LIMIT ?";
    }

    private static List<String> bound(TableSpec spec, String operator) {
        String first = Sql.quote(spec.key().get(0).target());
        if (spec.key().size() == 1) {
            return List.of(first + " " + operator + " ?");
        }
        return List.of(first + " " + (operator.startsWith(">") ? ">=" : "<=") + " ?",
                "(" + targets(spec.key()) + ") " + operator + " (" + placeholders(spec.key().size()) + ")");
    }

    /** The values bound for one bound of {@link #targetRange}: the key's, after its first value alone for a composite key. */
    static List<Object> rangeParameters(ComparedKey bound) {
        List<Object> out = new ArrayList<>();
        if (bound.values().size() > 1) {
            out.add(bound.values().get(0));
        }
        out.addAll(bound.values());
        return out;
    }

    /** Target: deletes one row by key; with a cursor, only while the row still holds the version read (cursor {@code IS ?}). */
    public static String targetDelete(TableSpec spec) {
        // one equality per key column, not a row value: tursodb looks a row value up by scanning the whole table
        String sql = "DELETE FROM " + Sql.quote(spec.targetTable()) + " WHERE " + spec.key().stream()
                .map(c -> Sql.quote(c.target()) + " = ?").collect(Collectors.joining(" AND "));
        return guardCursor(spec) == null ? sql : sql + " AND " + Sql.quote(guardCursor(spec).target()) + " IS ?";
    }

    /** The cursor column that guards deletes, or null (no cursor, or the cursor is part of the key). */
    public static ColumnSpec guardCursor(TableSpec spec) {
        return spec.cursor() == null || spec.key().contains(spec.cursor()) ? null : spec.cursor();
    }

    /** Binds values from {@code index} on; returns the next free index. */
    public static int bind(PreparedStatement ps, int index, List<Object> values) throws SQLException {
        for (Object v : values) {
            if (v instanceof Bytes b) {
                ps.setBytes(index++, b.value());
            } else {
                ps.setObject(index++, v);
            }
        }
        return index;
    }

    /** How Postgres orders a key column so that its order equals the target's order of the stored values. */
    static String sourceOrder(ColumnSpec c) {
        return KeyOrder.of(c, Sql.quote(c.source()));
    }

    /** The Postgres expression that turns a bound target value back into something comparable with {@link #sourceOrder}. */
    private static String sourceParameter(ColumnSpec c) {
        return switch (c.kind()) {
            case INTEGER -> "CAST(? AS int8)";
            case REAL, NUMERIC_REAL -> "CAST(? AS float8)";
            case FLOAT4 -> "CAST(? AS float4)";
            case BOOLEAN -> "(CAST(? AS int8) <> 0)";
            case BLOB -> "CAST(? AS bytea)";
            case DATE -> "CAST(? AS date)";
            case TIMESTAMP -> "CAST(? AS timestamp)";
            case TIMESTAMPTZ -> "CAST(? AS timestamptz)";
            case TEXT, JSON_ARRAY, JSON_TIMESTAMPTZ_ARRAY, JSON_TIMESTAMP_ARRAY, BPCHAR, INET, MONEY ->
                    c.declaredType().equals("uuid") ? "CAST(? AS uuid)" : "CAST(? AS text)";
        };
    }

    /** The Postgres rows the sync keeps in the target: not marked deleted, and matching the table's where, if any. */
    private static Optional<String> live(TableSpec spec) {
        List<String> conditions = new ArrayList<>();
        ColumnSpec flag = spec.softDelete();
        if (flag != null) {
            String q = Sql.quote(flag.source());
            conditions.add(flag.kind() == ColumnKind.BOOLEAN ? q + " IS NOT TRUE" : q + " IS NULL");
        }
        if (spec.rules().changes().filters()) {
            conditions.add(spec.rules().changes().matches());
        }
        return conditions.isEmpty() ? Optional.empty() : Optional.of(String.join(" AND ", conditions));
    }

    private static String sourceSelect(List<ColumnSpec> columns) {
        return columns.stream().map(c -> c.kind().selectExpression(Sql.quote(c.source()))).collect(Collectors.joining(", "));
    }

    /**
     * The target columns as read for comparison. A REAL -Infinity is read as the text {@code -Infinity}: over HTTP the
     * server writes any infinity as a JSON null, which reads back as +Infinity.
     */
    private static String targetSelect(List<ColumnSpec> columns) {
        return columns.stream().map(c -> {
            String q = Sql.quote(c.target());
            return switch (c.kind()) {
                case REAL, NUMERIC_REAL, FLOAT4 -> "CASE WHEN " + q + " < -1.7976931348623157e308 THEN '"
                        + Values.NEGATIVE_INFINITY + "' ELSE " + q + " END";
                default -> q;
            };
        }).collect(Collectors.joining(", "));
    }

    private static String targets(List<ColumnSpec> columns) {
        return Sql.quotedList(columns.stream().map(ColumnSpec::target).toList());
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
