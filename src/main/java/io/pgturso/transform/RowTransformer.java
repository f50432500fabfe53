package io.pgturso.transform;

import io.pgturso.source.ChangeQuery;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import io.pgturso.types.ColumnKind;
import io.pgturso.types.Doubles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one Postgres row into the values stored in the target, column by column (see {@link ColumnKind}). */
public final class RowTransformer {
    private RowTransformer() {
    }

    /** The target row; a value SQLite cannot keep rejects the whole row with the column named. */
    public static TargetRow transform(TableSpec spec, Map<String, Object> row) {
        return transform(spec, row, spec.targetColumns());
    }

    /** As {@link #transform(TableSpec, Map)}, given the spec's target columns (looked up once per page, not per row). */
    public static TargetRow transform(TableSpec spec, Map<String, Object> row, List<ColumnSpec> targetColumns) {
        checkTenant(spec, row);
        boolean deleted = deletes(spec, row);
        List<ColumnSpec> columns = deleted ? deleteParameters(spec) : targetColumns;
        List<Object> values = new ArrayList<>(columns.size());
        for (ColumnSpec c : columns) {
            Object value = toTarget(spec, row, c);
            if (spec.exactDoubles() && !deleted && c.kind().isReal()) {
                Doubles.addExact(values, value);
            } else {
                values.add(value);
            }
        }
        return new TargetRow(spec, values, row, deleted);
    }

    /** A row of a table with fan-out must name its tenant: a NULL fanOut value names no database to write it to. */
    public static void checkTenant(TableSpec spec, Map<String, Object> row) {
        if (spec.fansOut() && row.get(ChangeQuery.TENANT_ALIAS) == null) {
            throw new RowRejectedException(RowKey.of(spec, row), sourceJson(spec, row), "fanOut (" + spec.fanOut()
                    + ") is NULL: the row names no tenant database");
        }
    }

    /** The delete's parameters (key, then cursor) for a row read from Postgres, for the tenant databases it has left. */
    public static List<Object> deleteValues(TableSpec spec, Map<String, Object> row) {
        List<Object> values = new ArrayList<>();
        for (ColumnSpec c : deleteParameters(spec)) {
            values.add(toTarget(spec, row, c));
        }
        return values;
    }

    /** Whether the row leaves the target: marked deleted (softDelete), or no longer matching the table's where filter. */
    public static boolean deletes(TableSpec spec, Map<String, Object> row) {
        return spec.softDelete() != null && isDeleted(row.get(spec.softDelete().source()))
                || Boolean.FALSE.equals(row.get(ChangeQuery.MATCH_ALIAS));
    }

    /** The row as a row hook receives it: target column name to stored value, for every copied and computed column. */
    public static Map<String, Object> byTargetName(TableSpec spec, Map<String, Object> row, List<ColumnSpec> hookColumns) {
        Map<String, Object> out = new LinkedHashMap<>(hookColumns.size() * 2);
        for (ColumnSpec c : hookColumns) {
            out.put(c.target(), toTarget(spec, row, c));
        }
        return out;
    }

    private static Object toTarget(TableSpec spec, Map<String, Object> row, ColumnSpec c) {
        try {
            return checkSize(c.kind().toTarget(row.get(c.source())), spec.maxValueBytes());
        } catch (RuntimeException e) {
            throw new RowRejectedException(RowKey.of(spec, row), sourceJson(spec, row),
                    "column " + c.source() + " (" + c.declaredType() + "): " + e.getMessage());
        }
    }

    /** Refuses values larger than sync.max-value-bytes: they would fail the whole page's request, or the target. */
    static Object checkSize(Object value, long max) {
        long size = value instanceof byte[] b ? b.length
                : value instanceof String s && (long) s.length() * 3 > max ? s.getBytes(StandardCharsets.UTF_8).length : 0;
        if (size > max) {
            throw new IllegalArgumentException("value of " + size + " bytes is larger than sync.max-value-bytes (" + max + ")");
        }
        return value;
    }

    private static boolean isDeleted(Object flag) {
        return flag instanceof Boolean b ? b : flag != null;
    }

    private static List<ColumnSpec> deleteParameters(TableSpec spec) {
        List<ColumnSpec> out = new ArrayList<>(spec.key());
        if (spec.cursor() != null) {
            out.add(spec.cursor());
        }
        return out;
    }

    /** The row as kept with a dead letter: the columns the target gets, long values cut short ({@link DeadLetterRow}). */
    public static String sourceJson(TableSpec spec, Map<String, Object> row) {
        return DeadLetterRow.json(spec, row);
    }
}
