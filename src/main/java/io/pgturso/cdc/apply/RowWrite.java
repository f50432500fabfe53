package io.pgturso.cdc.apply;

import io.pgturso.source.TableSpec;
import java.util.List;
import java.util.Map;

/**
 * One write of a change into the target, in stream order: its statement and parameters. Consecutive writes of one
 * statement go as one batch; upserts ({@code upsert}) of one table are bound several to a statement where the target
 * takes it. Each write also says which row and transaction it is about ({@code tenanted}: a write the target refuses is
 * dead-lettered by it; a table with fan-out is routed by it, and its tenant), and once routed, the tenant database it
 * goes to ({@code database}; null: the control database, or the only target).
 */
record RowWrite(TableSpec spec, String sql, List<Object> parameters, boolean upsert, Tenanted tenanted, String database) {

    RowWrite(TableSpec spec, String sql, List<Object> parameters, boolean upsert) {
        this(spec, sql, parameters, upsert, null, null);
    }

    /** What a write of a table with fan-out does. */
    enum Kind {
        /** The whole row, into its tenant's database. */
        UPSERT,
        /** The columns the change sent, into the row its tenant's database holds. */
        UPDATE,
        /** The row under its new key, taking the columns the change left out from its old key's row in the same database. */
        MOVE,
        /** The row leaves every database that may hold it. */
        DELETE,
        /** Every row of the table leaves every tenant database. */
        TRUNCATE
    }

    /**
     * What a write is about, and what routing needs of a write of a table with fan-out: its kind, where its transaction committed ({@code lsn}), the
     * row's tenant (writes), its values as read ({@code source}: key, tenant), its key as the target stores it, the old
     * key's values of a {@link Kind#MOVE}, and the tenant of the old row when the change sent it whole (else null).
     */
    record Tenanted(Kind kind, long lsn, String tenant, Map<String, Object> source, List<Object> targetKey,
            Map<String, Object> oldSource, String oldTenant) {
    }

    /** This write, saying what it is about. */
    RowWrite tenanted(Tenanted what) {
        return new RowWrite(spec, sql, parameters, upsert, what, null);
    }

    /** This write, routed to a tenant database. */
    RowWrite in(String tenantDatabase) {
        return new RowWrite(spec, sql, parameters, upsert, tenanted, tenantDatabase);
    }
}
