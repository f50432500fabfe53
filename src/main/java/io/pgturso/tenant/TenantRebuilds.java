package io.pgturso.tenant;

import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSchema;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table with fan-out rebuilt in every tenant database whose copy of it a retyped column (or a changed key) made unfit,
 * as {@link TargetSchema#rebuild} rebuilds one table: so that {@code resync --table T} serves every tenant at once. The
 * databases are taken one after the other from the bounded set, never all open at once.
 */
public final class TenantRebuilds {
    private static final Logger LOG = LoggerFactory.getLogger(TenantRebuilds.class);

    private final TenantDatabases tenants;

    public TenantRebuilds(TenantDatabases tenants) {
        this.tenants = tenants;
    }

    /**
     * Rebuilds {@code spec}'s table in each registered tenant database that needs it (copied in chunks beside the old
     * one, swapped in with one short transaction: its readers never see it empty or half copied); returns the databases
     * rebuilt. A failure names the database; those rebuilt before it stay rebuilt, and running it again goes on.
     */
    public List<String> rebuildAll(TableSpec spec) {
        List<String> rebuilt = new ArrayList<>();
        for (TenantRegistry.Tenant tenant : tenants.registry().all()) {
            try {
                if (rebuild(tenant.database(), spec)) {
                    rebuilt.add(tenant.database());
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException(spec.routeId() + ": rebuilding table " + spec.targetTable() + " in tenant database "
                        + tenant.database() + " failed (the " + rebuilt.size() + " rebuilt before it stay rebuilt; run resync --table "
                        + spec.routeId() + " again once the cause is fixed): " + e.getMessage(), e);
            }
        }
        return rebuilt;
    }

    /** Rebuilds {@code spec}'s table in one tenant database if it needs it; true when it did. */
    public boolean rebuild(String database, TableSpec spec) {
        return tenants.withJdbc(database, jdbc -> {
            TargetSchema schema = TargetSchema.quiet(jdbc);
            if (!schema.needsRebuild(spec)) {
                return false;
            }
            long statements = schema.rebuild(spec);
            LOG.info("{}: rebuilt table {} in tenant database {} with the types Postgres maps to ({} copy statements)",
                    spec.routeId(), spec.targetTable(), database, statements);
            return true;
        });
    }
}
