package io.pgturso.source;

import io.pgturso.types.ColumnKind;

/**
 * One column of a Postgres table as the catalog describes it; {@code typeName} and {@code category} are those of the
 * base type (domains resolved at any depth), {@code elementType} the element type of an array (else null).
 */
public record SourceColumn(String name, String typeName, String category, String declaredType, boolean notNull,
        String elementType) {
    /** A column that is not an array. */
    public SourceColumn(String name, String typeName, String category, String declaredType, boolean notNull) {
        this(name, typeName, category, declaredType, notNull, null);
    }

    /** How the column is read, stored and converted (see {@link ColumnKind}). */
    public ColumnKind kind(boolean numericAsText) {
        return ColumnKind.of(typeName, category, elementType, numericAsText);
    }
}
