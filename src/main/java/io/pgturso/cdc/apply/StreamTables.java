package io.pgturso.cdc.apply;

import io.pgturso.cdc.pgoutput.Relation;
import io.pgturso.source.TableSpec;

/** Which changes of the stream are applied, and with which spec: what the mapping asks of the tables' copies. */
interface StreamTables {
    /** The spec to map a change of {@code relation} with, or null when it is not a cdc table; notices schema changes. */
    TableSpec spec(Relation relation);

    /**
     * Whether a change of the table committed at {@code commitLsn} is applied from the stream: not when the table's copy
     * from a snapshot holds it already, nor while the table is stopped. Waits while a copy that the change must follow
     * is still running.
     */
    boolean fromStream(TableSpec spec, long commitLsn) throws InterruptedException;
}
