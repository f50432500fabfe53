package io.pgturso.cdc.pgoutput;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tables and types the stream has described so far, by OID: a change names its table by OID only. Postgres sends
 * them again on every new connection, so a cache lives as long as one stream (one reader thread).
 */
public final class RelationCache {
    private final Map<Long, Relation> relations = new HashMap<>();
    private final Map<Long, PgOutputMessage.Type> types = new HashMap<>();

    /** Keeps (or replaces, after a schema change) a table's description. */
    public void put(Relation relation) {
        relations.put(relation.oid(), relation);
    }

    /** Keeps a type's name. */
    public void put(PgOutputMessage.Type type) {
        types.put(type.oid(), type);
    }

    /** The table with this OID; a change for a table never described is a protocol error. */
    public Relation relation(long oid) {
        Relation relation = relations.get(oid);
        if (relation == null) {
            throw new PgOutputException("change for relation OID " + oid + " that the stream never described "
                    + "(no Relation message since the stream started)");
        }
        return relation;
    }

    /** The non-built-in type with this OID, if the stream named it. */
    public Optional<PgOutputMessage.Type> type(long oid) {
        return Optional.ofNullable(types.get(oid));
    }

    /** Forgets everything: a new stream describes its tables again. */
    public void clear() {
        relations.clear();
        types.clear();
    }
}
