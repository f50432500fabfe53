package io.pgturso.source;

/**
 * The order of a key column that Postgres and the target agree on: text by its UTF-8 bytes (Postgres' {@code COLLATE
 * "C"}, SQLite's BINARY), uuid and numbers natively; so a key range read from one side is the same range on the other.
 */
public final class KeyOrder {
    private KeyOrder() {
    }

    /** The Postgres expression that orders {@code operand} (the column, or a value of the column's type) as the target does. */
    public static String of(ColumnSpec c, String operand) {
        return switch (c.kind()) {
            // uuid's own order is its bytes' order, the order of its lowercase hex text: keeps the index usable
            case TEXT, JSON_ARRAY, JSON_TIMESTAMPTZ_ARRAY, JSON_TIMESTAMP_ARRAY, BPCHAR, INET, MONEY ->
                    c.declaredType().equals("uuid") ? operand : c.kind().selectExpression(operand) + " COLLATE \"C\"";
            case NUMERIC_REAL -> c.kind().selectExpression(operand);
            default -> operand;
        };
    }
}
