package io.pgturso.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one Postgres row into the values stored in the target, column by column (see {@link ColumnKind}). */
public final class RowTransformer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RowTransformer() {
    }

    /** The target row; a value SQLite cannot keep rejects the whole row with the column named. */
    public static TargetRow transform(TableSpec spec, Map<String, Object> row) {
        boolean deleted = spec.softDelete() != null && isDeleted(row.get(spec.softDelete().source()));
        List<ColumnSpec> columns = deleted ? deleteParameters(spec) : spec.columns();
        List<Object> values = new ArrayList<>(columns.size());
        for (ColumnSpec c : columns) {
            try {
                Object value = checkSize(c.kind().toTarget(row.get(c.source())), spec.maxValueBytes());
                if (spec.exactDoubles() && !deleted && c.kind().isReal()) {
                    long[] parts = value == null ? null : Doubles.exactParts((Double) value);
                    values.add(parts == null ? null : parts[0]);
                    values.add(parts == null ? null : parts[1]);
                } else {
                    values.add(value);
                }
            } catch (RuntimeException e) {
                throw new RowRejectedException(RowKey.of(spec, row), sourceJson(spec, row),
                        "column " + c.source() + " (" + c.declaredType() + "): " + e.getMessage());
            }
        }
        return new TargetRow(spec, values, row, deleted);
    }

    /** Refuses values larger than sync.max-value-bytes: they would fail the whole page's request, or the target. */
    private static Object checkSize(Object value, long max) {
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

    /** The source row as JSON (binary values in base64), as kept with a dead letter. */
    public static String sourceJson(TableSpec spec, Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ColumnSpec c : spec.columns()) {
            Object v = row.get(c.source());
            out.put(c.source(), v instanceof Double d && (d.isNaN() || d.isInfinite()) ? d.toString() : v);
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            return String.valueOf(out);
        }
    }
}
