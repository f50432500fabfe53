package io.pgturso.cdc;

import java.util.List;

/**
 * What is streamed: the logical replication slot the reader consumes, the publication naming the tables, and the
 * tables (as Postgres reads a name: {@code orders}, {@code sales.orders}, {@code "Mixed"}).
 */
public record ReplicationSpec(String slot, String publication, List<String> tables) {
    public ReplicationSpec {
        Identifiers.objectName("replication slot", slot);
        Identifiers.objectName("publication", publication);
        tables = List.copyOf(tables);
    }
}
