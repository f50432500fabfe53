package io.pgturso.cli;

import io.pgturso.failure.SyncFailures;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.tenant.TenantRegistry;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;

/** The part of {@code status} for a database per tenant: how many tenant databases, per table how many hold rows, the slowest. */
final class TenantStatus {
    /** Slowest tenants listed. */
    static final int SLOWEST = 5;

    private TenantStatus() {
    }

    /** Prints the tenant lines (nothing when sync.target.url names no {tenant}). */
    static void print(TableRegistry tables, TenantDatabases tenants, TenantKeys keys, PrintStream out) {
        if (tenants == null || !tenants.configured()) {
            return;
        }
        try {
            List<TenantRegistry.Tenant> all = tenants.registry().all();
            out.println("Tenant databases: " + all.size());
            for (TableConfig config : tables.configs()) {
                if (config.fansOut()) {
                    out.println("  " + config.routeId() + ": rows in " + keys.databases(tables.spec(config).targetTable())
                            + " tenant databases");
                }
            }
            List<TenantRegistry.Tenant> slowest = all.stream().filter(t -> t.writes() > 0)
                    .sorted(Comparator.comparingDouble(TenantRegistry.Tenant::millisPerWrite).reversed()).limit(SLOWEST).toList();
            if (!slowest.isEmpty()) {
                out.println("Slowest tenants (average per write):");
                for (TenantRegistry.Tenant t : slowest) {
                    out.println(String.format("  %s (database %s): %.1f ms, %d writes, %d rows, last at %s", t.tenant(),
                            t.database(), t.millisPerWrite(), t.writes(), t.rowsWritten(), t.lastWrittenAt()));
                }
            }
        } catch (RuntimeException e) {
            out.println("Tenant databases: cannot report: " + SyncFailures.describe(e));
        }
    }
}
