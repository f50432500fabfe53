package io.pgturso.pass;

import io.pgturso.transform.TargetRow;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a page for one tenant database: the rows whose tenant it is, and the deletes it gets (rows marked
 * deleted or no longer matching, and rows whose tenant changed away from it).
 */
public final class TenantPart {
    private final String database;
    private final String tenant;
    private final List<TargetRow> upserts = new ArrayList<>();
    private final List<TargetRow> deletes = new ArrayList<>();
    private long startedNanos;
    private long nanos;

    TenantPart(String database, String tenant) {
        this.database = database;
        this.tenant = tenant;
    }

    /** The tenant's database name (what {@code tenant-sql:...?database=} names). */
    public String getDatabase() {
        return database;
    }

    /** The tenant (its fanOut value as Postgres text). */
    public String tenant() {
        return tenant;
    }

    List<TargetRow> upserts() {
        return upserts;
    }

    public List<TargetRow> getDeletes() {
        return deletes;
    }

    void started() {
        startedNanos = System.nanoTime();
    }

    void done() {
        nanos = System.nanoTime() - startedNanos;
    }

    /** How long writing the part took. */
    long millis() {
        return nanos / 1_000_000;
    }

    /** Rows written or deleted in the tenant's database. */
    int rows() {
        return upserts.size() + deletes.size();
    }

    @Override
    public String toString() {
        return database;
    }
}
