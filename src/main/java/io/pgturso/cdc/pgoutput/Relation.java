package io.pgturso.cdc.pgoutput;

import java.util.List;
import java.util.Objects;

/**
 * A table as the stream describes it (message {@code R}): sent before the table's first change on a connection and
 * again after its schema changed, so every change carries the columns it was written with.
 *
 * @param oid              the table's OID (unsigned)
 * @param namespace        its schema; pgoutput sends an empty string for {@code pg_catalog}
 * @param name             its name
 * @param replicaIdentity  {@code relreplident}: {@code d} default (primary key), {@code n} nothing, {@code f} full,
 *                         {@code i} index
 * @param columns          its columns in order, generated columns left out
 */
public record Relation(long oid, String namespace, String name, char replicaIdentity, List<Column> columns)
        implements PgOutputMessage {

    public Relation {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
    }

    /**
     * One column.
     *
     * @param key          part of the replica identity (the key old rows are identified by)
     * @param name         its name
     * @param typeOid      its data type's OID (unsigned)
     * @param typeModifier its type modifier ({@code atttypmod}), -1 when none
     */
    public record Column(boolean key, String name, long typeOid, int typeModifier) {
    }

    /** The schema, {@code pg_catalog} for the empty namespace pgoutput sends for it. */
    public String schema() {
        return namespace.isEmpty() ? "pg_catalog" : namespace;
    }

    /** {@code schema.name}, unquoted, as logs and messages show it. */
    public String qualifiedName() {
        return schema() + "." + name;
    }

    /** The index of the named column, or an {@link IllegalArgumentException}. */
    public int columnIndex(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("relation " + qualifiedName() + " has no column " + column);
    }

    /** The replica identity columns (the key), in column order. */
    public List<Column> keyColumns() {
        return columns.stream().filter(Column::key).toList();
    }
}
