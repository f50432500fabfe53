package io.pgturso.types;

import io.pgturso.source.SourceColumn;

/** How one Postgres column is read, stored in SQLite/libSQL and converted on the way (see the README's type table). */
public enum ColumnKind {
    INTEGER("INTEGER", false),
    REAL("REAL", false),
    /** {@code real}: read as Postgres' shortest text, so {@code 0.1} arrives as the double {@code 0.1}. */
    FLOAT4("REAL", true),
    BOOLEAN("INTEGER", false),
    BLOB("BLOB", false),
    TEXT("TEXT", true),
    /** {@code char(n)}: the type's own output, padding kept (its cast to text strips it). */
    BPCHAR("TEXT", false),
    /** {@code inet}: the type's own output ({@code 10.0.0.1}, where a cast to text adds {@code /32}). */
    INET("TEXT", false),
    /** {@code money}: its exact decimal value as text, free of the locale's currency format. */
    MONEY("TEXT", false),
    NUMERIC_REAL("REAL", false),
    TIMESTAMPTZ("TEXT", true),
    TIMESTAMP("TEXT", true),
    DATE("TEXT", true),
    JSON_ARRAY("TEXT", false),
    /** Arrays of {@code timestamptz}: JSON whose elements take the scalar form (UTC, 6 fraction digits, {@code Z}). */
    JSON_TIMESTAMPTZ_ARRAY("TEXT", false),
    /** Arrays of {@code timestamp}: JSON whose elements take the scalar form (6 fraction digits). */
    JSON_TIMESTAMP_ARRAY("TEXT", false);

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
        return switch (this) {
            case JSON_ARRAY, JSON_TIMESTAMPTZ_ARRAY, JSON_TIMESTAMP_ARRAY -> "CAST(array_to_json(" + quotedColumn + ") AS text)";
            case NUMERIC_REAL -> "CAST(" + quotedColumn + " AS float8)";
            case BPCHAR -> "textin(bpcharout(" + quotedColumn + "))";
            case INET -> "textin(inet_out(" + quotedColumn + "))";
            case MONEY -> "CAST(CAST(" + quotedColumn + " AS numeric) AS text)";
            default -> readAsText ? "CAST(" + quotedColumn + " AS text)" : quotedColumn;
        };
    }

    /** Whether this column can serve as a cursor (its stored values sort like the Postgres ones). */
    public boolean canBeCursor() {
        return this == INTEGER || this == TIMESTAMPTZ || this == TIMESTAMP || this == DATE;
    }

    /** Whether values are free text, which a SQL_ASCII database may hold as bytes that are not UTF-8 (the others are ASCII). */
    public boolean isFreeText() {
        return this == TEXT || this == BPCHAR || this == JSON_ARRAY;
    }

    /** Whether the target stores this column as a REAL (a double). */
    public boolean isReal() {
        return targetType.equals("REAL");
    }

    /** Converts a value read from Postgres into the value written to the target; throws for values SQLite cannot keep. */
    public Object toTarget(Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case INTEGER -> ((Number) value).longValue();
            case REAL, NUMERIC_REAL -> Doubles.storable(((Number) value).doubleValue());
            case FLOAT4 -> Doubles.storable(Double.parseDouble(value.toString()));
            case BOOLEAN -> ((Boolean) value) ? 1L : 0L;
            case BLOB -> (byte[]) value;
            case TEXT, BPCHAR, JSON_ARRAY -> value instanceof byte[] b ? Utf8.decode(b) : value.toString();
            case INET, MONEY -> value.toString();
            case JSON_TIMESTAMPTZ_ARRAY -> JsonArrays.mapStrings(value.toString(), Timestamps::isoUtc);
            case JSON_TIMESTAMP_ARRAY -> JsonArrays.mapStrings(value.toString(), Timestamps::isoLocal);
            case TIMESTAMPTZ -> Timestamps.isoUtc(value.toString());
            case TIMESTAMP -> Timestamps.isoLocal(value.toString());
            case DATE -> Timestamps.isoDate(value.toString());
        };
    }

    /**
     * Whether only Postgres can turn the type's text output into what a page reads ({@link #selectExpression}): arrays
     * become JSON with their elements typed, money its locale-free decimal. {@link #fromText} refuses these kinds.
     */
    public boolean readFromTextInPostgres() {
        return this == MONEY || this == JSON_ARRAY || this == JSON_TIMESTAMPTZ_ARRAY || this == JSON_TIMESTAMP_ARRAY;
    }

    /**
     * A value as Postgres writes it as text (its output function, with the sessions' settings of {@code SourceSession}:
     * what the change stream sends) turned into what a page reads for this column, so that {@link #toTarget} lands the
     * same value whichever way it came: integers and doubles parsed exactly, booleans from {@code t}/{@code f},
     * {@code bytea} from its hex form; the kinds a page reads as text stay text.
     */
    public Object fromText(String text) {
        return switch (this) {
            case INTEGER -> Long.parseLong(text);
            case REAL, NUMERIC_REAL -> Double.parseDouble(text);
            case BOOLEAN -> switch (text) {
                case "t" -> Boolean.TRUE;
                case "f" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("boolean '" + text + "' is neither t nor f");
            };
            case BLOB -> ByteaText.parse(text);
            case FLOAT4, TEXT, BPCHAR, INET, TIMESTAMPTZ, TIMESTAMP, DATE -> text;
            case MONEY, JSON_ARRAY, JSON_TIMESTAMPTZ_ARRAY, JSON_TIMESTAMP_ARRAY -> throw new IllegalStateException(
                    this + " values are turned from text into their read form by Postgres (readFromTextInPostgres)");
        };
    }

    /**
     * Picks the mapping for a Postgres type, given by the catalog's {@code typeName} and {@code category} of its base type
     * (domains already resolved) and, for an array, its {@code elementType}; {@code numericAsText} keeps {@code numeric}
     * exact as text.
     */
    public static ColumnKind of(String typeName, String category, String elementType, boolean numericAsText) {
        if ("A".equals(category)) {
            String element = elementType == null ? "" : elementType;
            return switch (element) {
                case "timestamptz" -> JSON_TIMESTAMPTZ_ARRAY;
                case "timestamp" -> JSON_TIMESTAMP_ARRAY;
                default -> JSON_ARRAY;
            };
        }
        return switch (typeName) {
            case "int2", "int4", "int8", "oid" -> INTEGER;
            case "float8" -> REAL;
            case "float4" -> FLOAT4;
            case "numeric" -> numericAsText ? TEXT : NUMERIC_REAL;
            case "bool" -> BOOLEAN;
            case "bytea" -> BLOB;
            case "timestamptz" -> TIMESTAMPTZ;
            case "timestamp" -> TIMESTAMP;
            case "date" -> DATE;
            case "bpchar" -> BPCHAR;
            case "inet" -> INET;
            case "money" -> MONEY;
            default -> TEXT;
        };
    }
}
