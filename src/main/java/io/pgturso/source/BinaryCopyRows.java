package io.pgturso.source;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Decodes Postgres' binary COPY stream of one page into rows: each value as the Java type the driver's
 * {@code getObject} gives for its column (int2 and int4 as Integer, int8 and oid as Long, float4 as Float, float8 as
 * Double, bool as Boolean, bytea as byte[], text types as String).
 */
final class BinaryCopyRows {
    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);

    private final Columns columns;
    private byte[] data = new byte[64 * 1024];
    private int length;

    BinaryCopyRows(Columns columns) {
        this.columns = columns;
    }

    /** Adds the next part of the stream as Postgres sent it. */
    void add(byte[] chunk) {
        if (length + chunk.length > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, length + chunk.length));
        }
        System.arraycopy(chunk, 0, data, length, chunk.length);
        length += chunk.length;
    }

    /** The rows of the whole stream, in the order Postgres sent them. */
    List<Map<String, Object>> rows() {
        if (length < SIGNATURE.length + 8 || !Arrays.equals(data, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IllegalStateException("COPY sent no binary header");
        }
        int at = SIGNATURE.length + 4;
        at += 4 + int32(at);
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = columns.types.length;
        while (true) {
            short fields = (short) (((data[at] & 0xff) << 8) | (data[at + 1] & 0xff));
            at += 2;
            if (fields == -1) {
                return rows;
            }
            if (fields != n) {
                throw new IllegalStateException("COPY sent a row of " + fields + " values, the query has " + n + " columns");
            }
            Object[] values = new Object[n];
            for (int i = 0; i < n; i++) {
                int size = int32(at);
                at += 4;
                if (size >= 0) {
                    values[i] = value(columns.types[i], at, size);
                    at += size;
                }
            }
            rows.add(CopyPages.row(columns.distinct, columns.labels, values));
        }
    }

    private Object value(Type type, int at, int size) {
        if (type.size > 0 && size != type.size) {
            throw new IllegalStateException("COPY sent a value of " + size + " bytes for a column described as " + type
                    + ": its type changed while the pass ran; the next pass reads it as it is now");
        }
        return switch (type) {
            case INT2 -> (int) (short) (((data[at] & 0xff) << 8) | (data[at + 1] & 0xff));
            case INT4 -> int32(at);
            case INT8 -> int64(at);
            case OID -> int32(at) & 0xffffffffL;
            case FLOAT4 -> Float.intBitsToFloat(int32(at));
            case FLOAT8 -> Double.longBitsToDouble(int64(at));
            case BOOL -> data[at] != 0;
            case BYTES -> Arrays.copyOfRange(data, at, at + size);
            case TEXT -> new String(data, at, size, StandardCharsets.UTF_8);
        };
    }

    private int int32(int at) {
        return ((data[at] & 0xff) << 24) | ((data[at + 1] & 0xff) << 16) | ((data[at + 2] & 0xff) << 8) | (data[at + 3] & 0xff);
    }

    private long int64(int at) {
        return ((long) int32(at) << 32) | (int32(at + 4) & 0xffffffffL);
    }

    /** The binary forms decoded, each with the Java type the driver gives. */
    enum Type {
        INT2(2), INT4(4), INT8(8), OID(4), FLOAT4(4), FLOAT8(8), BOOL(1), BYTES(0), TEXT(0);

        /** The size of each value, 0 when it varies. */
        private final int size;

        Type(int size) {
            this.size = size;
        }
    }

    /** A query's result columns: labels and types. */
    static final class Columns {
        private final String[] labels;
        private final SourceRow.Labels distinct;
        private final Type[] types;

        private Columns(String[] labels, Type[] types) {
            this.labels = labels;
            this.distinct = SourceRow.Labels.of(labels);
            this.types = types;
        }

        /** The columns, given the driver's names of their types; null when one is of a type not decoded here. */
        static Columns of(String[] labels, String[] typeNames) {
            Type[] types = new Type[typeNames.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = type(typeNames[i]);
                if (types[i] == null) {
                    return null;
                }
            }
            return new Columns(labels, types);
        }

        private static Type type(String name) {
            return switch (name == null ? "" : name) {
                // the driver names an integer column with a sequence default serial, bigserial or smallserial
                case "int2", "smallserial" -> Type.INT2;
                case "int4", "serial" -> Type.INT4;
                case "int8", "bigserial" -> Type.INT8;
                case "oid" -> Type.OID;
                case "float4" -> Type.FLOAT4;
                case "float8" -> Type.FLOAT8;
                case "bool" -> Type.BOOL;
                case "bytea" -> Type.BYTES;
                case "text", "varchar", "bpchar", "name" -> Type.TEXT;
                default -> null;
            };
        }
    }
}
