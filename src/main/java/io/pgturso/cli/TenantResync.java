package io.pgturso.cli;

import io.pgturso.config.ConfigException;
import io.pgturso.pass.TableLocks;
import io.pgturso.pass.TablePass;
import io.pgturso.pass.TableRunner;
import io.pgturso.route.RouteNames;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import io.pgturso.tenant.FanOutTables;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantRebuilds;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code resync --table T --tenant X}: one tenant's rows of a table with fan-out copied again into its own database, and
 * nothing else touched. A pass of the table's route reads only the tenant's rows, whole and in key order, and compares
 * each page with the tenant's database: rows that differ are written, its rows Postgres no longer has for the tenant are
 * deleted, and the key index is kept as a pass keeps it. It holds the table's lock throughout, as a pass, and moves no
 * checkpoint.
 */
final class TenantResync {
    private final CamelContext camel;
    private final TableRegistry tables;
    private final TableLocks locks;
    private final TenantDatabases tenants;
    private final DataSource source;

    TenantResync(CamelContext camel) {
        this.camel = camel;
        Registry r = camel.getRegistry();
        tables = r.lookupByNameAndType("tables", TableRegistry.class);
        locks = r.lookupByNameAndType("tableLocks", TableLocks.class);
        tenants = r.lookupByNameAndType("tenantDatabases", TenantDatabases.class);
        source = r.lookupByNameAndType("source", DataSource.class);
    }

    /** Resyncs the tenant; true when every row was copied (or dead-lettered) and the rows gone deleted. */
    boolean run(TableConfig config, String tenant, PrintStream out) throws SQLException {
        TableSpec spec = tables.spec(config);
        String label = config.routeId() + " [tenant " + tenant + "]";
        String database = tenants.databaseFor(tenant);
        // under the table's lock from start to end, as a pass: no pass writes the table meanwhile, none is refused by it
        TableRunner.Outcome outcome;
        try (TableLocks.Held held = locks.hold(spec.targetTable(), "resync of " + config.routeId() + " for tenant " + tenant)) {
            if (tenants.registry().database(tenant) == null) {
                if (rows(spec.forTenant(tenant)) == 0) {
                    throw new ConfigException("Tenant '" + tenant + "' has no rows in " + config.routeId() + " and no database: "
                            + "nothing to resync (the tenant is its fanOut value as Postgres prints it)");
                }
            } else if (new TenantRebuilds(tenants).rebuild(database, spec)) {
                out.println(label + ": target table " + spec.targetTable() + " in database " + database
                        + " rebuilt with the types Postgres maps to");
            }
            // the tenant's database exists with the table as Postgres maps it now before the pass compares with it
            tenants.prepare(tenant, database, spec, new FanOutTables(tables)::specs);
            outcome = TableRunner.run(camel, config.routeId(), Map.of(RouteNames.RESYNC_TENANT_HEADER, tenant,
                    RouteNames.HELD_LOCK_HEADER, held));
        }
        TablePass pass = outcome.pass();
        if (!outcome.ok() || pass == null || pass.onlyTenant() == null) {
            out.println(label + ": resync failed (see the log); run it again once the cause is fixed");
            return false;
        }
        out.println(label + ": resynced into database " + database + ": " + (pass.written() - pass.goneDeleted())
                + " rows written, " + pass.unchanged() + " unchanged, " + pass.goneDeleted()
                + " deleted as no longer in Postgres for the tenant, " + pass.deadLettered() + " dead-lettered");
        return true;
    }

    private long rows(TableSpec one) {
        Long n = new JdbcTemplate(source).queryForObject("SELECT count(*) FROM " + one.source().qualifiedName() + " AS "
                + io.pgturso.source.ChangeQuery.TABLE_ALIAS + " WHERE "
                + one.rules().changes().where(), Long.class);
        return n == null ? 0 : n;
    }
}
