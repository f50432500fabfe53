package io.pgturso.cdc.pgoutput;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The columns of one row in a change, in the order of its {@link Relation}'s columns. */
public record TupleData(List<TupleValue> values) {
    public TupleData {
        values = List.copyOf(values);
    }

    /** The rows' columns, first to last. */
    public static TupleData of(TupleValue... values) {
        return new TupleData(List.of(values));
    }

    /** The value of the column at {@code index} (0-based, as in {@link Relation#columns()}). */
    public TupleValue get(int index) {
        return values.get(index);
    }

    /** The value of the named column of {@code relation}. */
    public TupleValue get(Relation relation, String column) {
        return values.get(relation.columnIndex(column));
    }

    public int size() {
        return values.size();
    }

    /** Column name to value, in column order. */
    public Map<String, TupleValue> byName(Relation relation) {
        if (relation.columns().size() != values.size()) {
            throw new PgOutputException("row has " + values.size() + " columns, relation " + relation.qualifiedName()
                    + " has " + relation.columns().size());
        }
        Map<String, TupleValue> row = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            row.put(relation.columns().get(i).name(), values.get(i));
        }
        return row;
    }
}
