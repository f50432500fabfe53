package io.pgturso.cli;

import io.pgturso.config.ConfigException;
import io.pgturso.pass.TableLocks;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code drop-tenant --tenant X}: the one way a tenant's database is ever deleted (the sync never drops one by itself). */
public final class TenantCommands {
    private final TableRegistry tables;
    private final TableLocks locks;
    private final TenantDatabases tenants;
    private final TenantKeys keys;
    private final DataSource source;

    public TenantCommands(Registry r) {
        tables = r.lookupByNameAndType("tables", TableRegistry.class);
        locks = r.lookupByNameAndType("tableLocks", TableLocks.class);
        tenants = r.lookupByNameAndType("tenantDatabases", TenantDatabases.class);
        keys = r.lookupByNameAndType("tenantKeys", TenantKeys.class);
        source = r.lookupByNameAndType("source", DataSource.class);
    }

    /**
     * Deletes the tenant's database and forgets it, holding the lock of every table with fan-out (no pass writes it
     * meanwhile). Refused while Postgres still has rows of the tenant: the next pass would only create it again.
     */
    public void drop(String tenant, PrintStream out) throws SQLException {
        if (tenant == null) {
            throw new ConfigException("Name the tenant with --tenant VALUE (its fan-out value as Postgres prints it)");
        }
        if (!tenants.configured()) {
            throw new ConfigException("drop-tenant needs sync.target.url to name {tenant} (a database per tenant)");
        }
        String database = tenants.registry().database(tenant);
        if (database == null) {
            throw new ConfigException("Tenant '" + tenant + "' has no database (registered tenants: " + tenants.registry().size() + ")");
        }
        List<TableSpec> fanning = tables.configs().stream().filter(TableConfig::fansOut).map(tables::spec).toList();
        List<TableLocks.Held> held = new ArrayList<>();
        try {
            for (TableSpec spec : fanning) {
                held.add(locks.hold(spec.targetTable(), "drop-tenant " + tenant));
            }
            for (TableSpec spec : fanning) {
                TableSpec one = spec.forTenant(tenant);
                Long rows = new JdbcTemplate(source).queryForObject("SELECT count(*) FROM " + one.source().qualifiedName()
                        + " WHERE " + one.rules().changes().where(), Long.class);
                if (rows != null && rows > 0) {
                    throw new ConfigException("Tenant '" + tenant + "' still has " + rows + " rows in " + spec.routeId()
                            + ": its database is kept (a pass would create it again); delete or move the rows first");
                }
            }
            tenants.drop(database);
            keys.removeDatabase(database);
        } finally {
            for (TableLocks.Held h : held) {
                h.close();
            }
        }
        out.println("tenant " + tenant + ": database " + database + " dropped");
    }
}
