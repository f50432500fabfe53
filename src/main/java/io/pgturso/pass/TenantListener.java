package io.pgturso.pass;

/** Hears what a table with fan-out does to its tenant databases (for metrics): labelled by table, never by tenant. */
public interface TenantListener {
    /** Does nothing. */
    TenantListener NONE = new TenantListener() {
    };

    /** A tenant database was created (and registered) while writing the table. */
    default void tenantCreated(String table, String database) {
    }

    /** A page of the table was written into this many tenant databases. */
    default void tenantsWritten(String table, int databases) {
    }
}
