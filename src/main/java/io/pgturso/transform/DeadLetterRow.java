package io.pgturso.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.RowChanges;
import io.pgturso.source.TableSpec;
import io.pgturso.types.ColumnKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The row kept with a dead letter, as JSON: only the columns the target gets (never one left out by {@code columns},
 * {@code exclude} or {@code dropColumns}), each value over {@link #PREVIEW_BYTES} cut short and marked with its real
 * size. The key is enough to replay the row; the rest is there to be read, so a dead letter stays small.
 */
public final class DeadLetterRow {
    /** The largest value kept whole: UTF-8 bytes of text, or bytes of a {@code bytea} (shown in base64). */
    public static final int PREVIEW_BYTES = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterRow() {
    }

    /** The row of a dead letter: source column name to value, as read from Postgres. */
    public static String json(TableSpec spec, Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        RowChanges changes = spec.rules().changes();
        for (ColumnSpec c : spec.columns()) {
            if (!changes.drops(c.target())) {
                out.put(c.source(), preview(c.kind(), row.get(c.source())));
            }
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            return String.valueOf(out);
        }
    }

    private static Object preview(ColumnKind kind, Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return d.toString();
        }
        if (value instanceof byte[] b && kind != ColumnKind.BLOB) {
            value = new String(b, StandardCharsets.UTF_8); // text read as bytes: shown with bad bytes replaced
        }
        if (value instanceof byte[] b && b.length > PREVIEW_BYTES) {
            return Base64.getEncoder().encodeToString(Arrays.copyOf(b, PREVIEW_BYTES)) + cut(b.length);
        }
        if (value instanceof String s && s.length() > PREVIEW_BYTES / 3) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > PREVIEW_BYTES) {
                int end = PREVIEW_BYTES;
                while ((utf8[end] & 0xC0) == 0x80) {
                    end--; // never split a character
                }
                return new String(utf8, 0, end, StandardCharsets.UTF_8) + cut(utf8.length);
            }
        }
        return value;
    }

    private static String cut(long size) {
        return "... [truncated: " + size + " bytes in all]";
    }
}
