package io.pgturso.sync;

/** How one Postgres column is read, stored in SQLite/libSQL and converted on the way (see the README's type table). */
public enum ColumnKind {
    INTEGER("INTEGER", false),
    REAL("REAL", false),
    BOOLEAN("INTEGER", false),
    BLOB("BLOB", false),
    TEXT("TEXT", true),
    NUMERIC_REAL("REAL", false),
    TIMESTAMPTZ("TEXT", true),
    TIMESTAMP("TEXT", true),
    DATE("TEXT", true),
    JSON_ARRAY("TEXT", false);

    private final String targetType;
    private final boolean readAsText;

    ColumnKind(String targetType, boolean readAsText) {
        this.targetType = targetType;
        this.readAsText = readAsText;
    }

    /** The column type declared in the target table; its SQLite affinity keeps the value as converted. */
    public String targetType() {
        return targetType;
    }

    /** The Postgres expression that selects the column for this mapping. */
    public String selectExpression(String quotedColumn) {
        if (this == JSON_ARRAY) {
            return "CAST(array_to_json(" + quotedColumn + ") AS text)";
        }
        if (this == NUMERIC_REAL) {
            return "CAST(" + quotedColumn + " AS float8)";
        }
        return readAsText ? "CAST(" + quotedColumn + " AS text)" : quotedColumn;
    }

    /** Whether this column can serve as a cursor (its stored values sort like the Postgres ones). */
    public boolean canBeCursor() {
        return this == INTEGER || this == TIMESTAMPTZ || this == TIMESTAMP || this == DATE;
    }

    /** Converts a value read from Postgres into the value written to the target; throws for values SQLite cannot keep. */
    public Object toTarget(Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case INTEGER -> ((Number) value).longValue();
            case REAL, NUMERIC_REAL -> finite(((Number) value).doubleValue());
            case BOOLEAN -> ((Boolean) value) ? 1L : 0L;
            case BLOB -> (byte[]) value;
            case TEXT, JSON_ARRAY -> value.toString();
            case TIMESTAMPTZ -> Timestamps.isoUtc(value.toString());
            case TIMESTAMP -> Timestamps.isoLocal(value.toString());
            case DATE -> Timestamps.isoDate(value.toString());
        };
    }

    private static Double finite(double d) {
        if (Double.isNaN(d)) {
            throw new IllegalArgumentException("NaN cannot be stored: SQLite turns it into NULL");
        }
        return d;
    }

    /** Picks the mapping for a catalog column; {@code numericAsText} keeps {@code numeric} exact as text. */
    public static ColumnKind of(SourceColumn column, boolean numericAsText) {
        if ("A".equals(column.category())) {
            return JSON_ARRAY;
        }
        return switch (column.typeName()) {
            case "int2", "int4", "int8", "oid" -> INTEGER;
            case "float4", "float8" -> REAL;
            case "numeric" -> numericAsText ? TEXT : NUMERIC_REAL;
            case "bool" -> BOOLEAN;
            case "bytea" -> BLOB;
            case "timestamptz" -> TIMESTAMPTZ;
            case "timestamp" -> TIMESTAMP;
            case "date" -> DATE;
            default -> TEXT;
        };
    }
}
