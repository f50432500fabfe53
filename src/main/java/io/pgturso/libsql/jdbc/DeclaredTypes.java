package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Value;
import java.sql.Types;
import java.util.Locale;

/** JDBC types for SQLite declared types, by SQLite's affinity rules plus the common date and boolean names. */
final class DeclaredTypes {

    private DeclaredTypes() {
    }

    /** The JDBC type of a column; without a declared type (an expression), the type of a sample value. */
    static int jdbcType(String decltype, Value sample) {
        if (decltype == null || decltype.isBlank()) {
            return sampleType(sample);
        }
        String type = decltype.toUpperCase(Locale.ROOT);
        if (type.startsWith("BOOL")) {
            return Types.BOOLEAN;
        }
        if (type.startsWith("DATETIME") || type.startsWith("TIMESTAMP")) {
            return Types.TIMESTAMP;
        }
        if (type.equals("DATE")) {
            return Types.DATE;
        }
        if (type.equals("TIME")) {
            return Types.TIME;
        }
        if (type.contains("INT")) {
            return Types.BIGINT;
        }
        if (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT")) {
            return Types.VARCHAR;
        }
        if (type.contains("BLOB")) {
            return Types.BLOB;
        }
        if (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB")) {
            return Types.DOUBLE;
        }
        return type.startsWith("DEC") ? Types.DECIMAL : Types.NUMERIC;
    }

    private static int sampleType(Value sample) {
        if (sample instanceof Value.IntegerValue) {
            return Types.BIGINT;
        }
        if (sample instanceof Value.FloatValue) {
            return Types.DOUBLE;
        }
        if (sample instanceof Value.TextValue) {
            return Types.VARCHAR;
        }
        if (sample instanceof Value.BlobValue) {
            return Types.BLOB;
        }
        return Types.NULL;
    }

    /** The class {@code getObject} returns for values of the type. */
    static String className(int jdbcType) {
        switch (jdbcType) {
            case Types.BIGINT, Types.BOOLEAN:
                return Long.class.getName();
            case Types.DOUBLE:
                return Double.class.getName();
            case Types.BLOB:
                return byte[].class.getName();
            case Types.VARCHAR, Types.DATE, Types.TIME, Types.TIMESTAMP:
                return String.class.getName();
            default:
                return Object.class.getName();
        }
    }

    static String name(int jdbcType) {
        switch (jdbcType) {
            case Types.BIGINT: return "INTEGER";
            case Types.DOUBLE: return "REAL";
            case Types.VARCHAR: return "TEXT";
            case Types.BLOB: return "BLOB";
            case Types.BOOLEAN: return "BOOLEAN";
            case Types.DATE: return "DATE";
            case Types.TIME: return "TIME";
            case Types.TIMESTAMP: return "TIMESTAMP";
            case Types.NULL: return "NULL";
            default: return "NUMERIC";
        }
    }
}
