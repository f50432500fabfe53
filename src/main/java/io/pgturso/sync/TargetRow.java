package io.pgturso.sync;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A transformed row ready for the target: for an upsert its values in target column order, for a soft-deleted row the
 * delete's parameters (key, then cursor); camel-sql binds them in that order.
 */
public record TargetRow(RowKey key, List<Object> values, Map<String, Object> source, boolean deleted) implements Iterable<Object> {
    @Override
    public Iterator<Object> iterator() {
        return values.iterator();
    }
}
