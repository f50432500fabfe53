package io.pgturso.verify;

import io.pgturso.types.ColumnKind;

/**
 * Brings values read from either side to one form, so equal values compare and hash equal: integers as {@link Long}
 * (JDBC drivers return Integer or Long), floating point as {@link Double}, BLOBs as {@link Bytes}.
 */
public final class Values {
    /** How the comparison reads a REAL -Infinity from the target (see {@link ChunkSql}). */
    static final String NEGATIVE_INFINITY = "-Infinity";

    private Values() {
    }

    /** The comparable form of a value stored in (or mapped for) a column of this kind. */
    public static Object normalise(ColumnKind kind, Object value) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case INTEGER, BOOLEAN -> isWhole(value) ? (Object) ((Number) value).longValue() : value;
            case REAL, NUMERIC_REAL, FLOAT4 -> value instanceof Number n ? (Object) positiveZero(n.doubleValue())
                    : NEGATIVE_INFINITY.equals(value) ? (Object) Double.NEGATIVE_INFINITY : value;
            case BLOB -> value instanceof byte[] b ? new Bytes(b) : value;
            default -> value;
        };
    }

    /** Orders two key values as SQLite does: NULL, then numbers, then text by UTF-8 bytes, then BLOBs. */
    static int compare(Object a, Object b) {
        int rank = Integer.compare(rank(a), rank(b));
        if (rank != 0) {
            return rank;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return compareUtf8(x, y);
        }
        if (a instanceof Bytes x && b instanceof Bytes y) {
            return x.compareTo(y);
        }
        return 0;
    }

    /**
     * Compares strings in UTF-8 byte order (= code point order), which is SQLite's BINARY collation and Postgres'
     * {@code COLLATE "C"} in a UTF-8 database; {@link String#compareTo} differs for characters above U+FFFF.
     */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** A value as shown in reports: text quoted, numbers plain, BLOBs in hex. */
    static String format(Object value) {
        if (value instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return String.valueOf(value);
    }

    private static int rank(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number) {
            return 1;
        }
        if (v instanceof String) {
            return 2;
        }
        return v instanceof Bytes ? 3 : 4;
    }

    private static boolean isWhole(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }

    private static double positiveZero(double d) {
        return d == 0.0 ? 0.0 : d;
    }
}
