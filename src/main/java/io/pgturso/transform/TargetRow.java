package io.pgturso.transform;

import io.pgturso.source.TableSpec;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A transformed row ready for the target: for an upsert its values in target column order, for a soft-deleted row the
 * delete's parameters (key, then cursor); camel-sql binds them in that order. Its key is derived only when needed.
 */
public final class TargetRow implements Iterable<Object> {
    private final TableSpec spec;
    private final List<Object> values;
    private final Map<String, Object> source;
    private final boolean deleted;
    private RowKey key;

    public TargetRow(TableSpec spec, List<Object> values, Map<String, Object> source, boolean deleted) {
        this.spec = spec;
        this.values = values;
        this.source = source;
        this.deleted = deleted;
    }

    /** A delete by key of a target row that has no Postgres row any more ({@code values}: the delete's parameters). */
    public static TargetRow deleteOf(TableSpec spec, List<Object> values, RowKey key) {
        TargetRow row = new TargetRow(spec, values, null, true);
        row.key = key;
        return row;
    }

    /** The row's primary key, as Postgres text values. */
    public RowKey key() {
        if (key == null) {
            key = RowKey.of(spec, source);
        }
        return key;
    }

    public List<Object> values() {
        return values;
    }

    /** The row as read from Postgres. */
    public Map<String, Object> source() {
        return source;
    }

    /** The row's tenant (the table's fanOut value as Postgres text), or null for a table without fan-out. */
    public String tenant() {
        return source == null ? null : (String) source.get(io.pgturso.source.ChangeQuery.TENANT_ALIAS);
    }

    /** Whether the row is marked deleted (softDelete column) and is to be deleted from the target. */
    public boolean deleted() {
        return deleted;
    }

    @Override
    public Iterator<Object> iterator() {
        return values.iterator();
    }
}
