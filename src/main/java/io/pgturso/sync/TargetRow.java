package io.pgturso.sync;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A transformed row ready for the upsert: its values in target column order (camel-sql binds them in that order). */
public record TargetRow(RowKey key, List<Object> values, Map<String, Object> source) implements Iterable<Object> {
    @Override
    public Iterator<Object> iterator() {
        return values.iterator();
    }
}
