package io.pgturso.cli;

import io.pgturso.cdc.apply.CdcAdmin;
import io.pgturso.config.ConfigException;
import io.pgturso.source.SyncMode;
import io.pgturso.target.CheckpointStore;
import io.pgturso.source.TableConfig;
import io.pgturso.pass.TableLocks;
import io.pgturso.source.TableRegistry;
import io.pgturso.pass.TableRunner;
import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSchema;
import io.pgturso.reconcile.DeleteReconciliation;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantRebuilds;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** The commands that act on one table's copy: {@code resync --table NAME} and {@code reset-checkpoint --table NAME}. */
public final class TableCommands {
    private final CamelContext camel;
    private final TableRegistry tables;
    private final CheckpointStore checkpoints;
    private final TableLocks locks;

    public TableCommands(CamelContext camel) {
        this(camel, camel.getRegistry());
    }

    /** For {@code reset-checkpoint} alone, which runs no pass: the beans of {@code r}, no Camel. */
    public TableCommands(Registry r) {
        this(null, r);
    }

    private TableCommands(CamelContext camel, Registry r) {
        this.camel = camel;
        this.tables = r.lookupByNameAndType("tables", TableRegistry.class);
        this.checkpoints = r.lookupByNameAndType("checkpoints", CheckpointStore.class);
        this.locks = r.lookupByNameAndType("tableLocks", TableLocks.class);
    }

    /**
     * Copies the table again from scratch into the live target, never leaving it empty or half-copied: rebuilds it first
     * if a column's type changed (copied in chunks, swapped in one transaction), forgets its checkpoint, upserts every
     * row, then deletes the rows Postgres no longer has. True when all of it succeeded.
     */
    public boolean resync(String table, PrintStream out) throws SQLException {
        return resync(table, null, out);
    }

    /**
     * A streamed table with fan-out: rebuilt now in every tenant database a retyped column made unfit, copied anew into
     * every tenant at the next start (one tenant alone is refused).
     */
    private boolean recopyTenants(TableConfig config, String tenant, PrintStream out) throws SQLException {
        if (tenant != null) {
            throw new ConfigException(config.routeId() + " is streamed (mode cdc): its tenants are copied again together, from "
                    + "one snapshot of the change stream: resync --table " + config.routeId() + " without --tenant");
        }
        TableSpec spec = tables.spec(config);
        // with the slot held (the sync stopped): the next start finds every tenant's table fit to copy into and stream
        camel.getRegistry().lookupByNameAndType("cdcAdmin", CdcAdmin.class).recopy(spec.targetTable(),
                () -> rebuildTenants(config, spec, out));
        out.println(config.routeId() + ": streamed table with fan-out: the next start of the sync copies every tenant's rows "
                + "anew from a snapshot of the change stream (upserts), then streams it");
        return true;
    }

    /**
     * As {@link #resync(String, PrintStream)}, a table with fan-out into every tenant's database (rebuilt in each where
     * needed); with {@code tenant}, only that tenant's rows ({@link TenantResync}).
     */
    public boolean resync(String table, String tenant, PrintStream out) throws SQLException {
        if (camel == null) {
            throw new IllegalStateException("resync runs a pass: it needs Camel's routes");
        }
        TableConfig config = select(table);
        if (config.mode() == SyncMode.CDC && config.fansOut()) {
            return recopyTenants(config, tenant, out);
        }
        if (tenant != null) {
            if (!config.fansOut()) {
                throw new ConfigException("--tenant goes with a table with fan-out; " + config.routeId() + " has none: resync --table "
                        + config.routeId() + " copies it whole");
            }
            return new TenantResync(camel).run(config, tenant, out);
        }
        TableSpec spec = tables.spec(config);
        Registry r = camel.getRegistry();
        TargetSchema schema = r.lookupByNameAndType("targetSchema", TargetSchema.class);
        if (spec.mode() == SyncMode.CDC) {
            r.lookupByNameAndType("cdcAdmin", CdcAdmin.class).recopy(spec.targetTable(), () -> {
                if (schema.needsRebuild(spec)) {
                    schema.rebuild(spec);
                    out.println(config.routeId() + ": target table " + spec.targetTable() + " rebuilt with the types Postgres maps to");
                }
            });
            out.println(config.routeId() + ": streamed table: the next start of the sync copies it anew from a snapshot of the "
                    + "change stream, then streams it");
            return true;
        }
        // under the table's lock: a pass running meanwhile would write the table being rebuilt, or save its checkpoint
        // over the reset; a pass that starts after the reset copies every row, as this one does
        try (TableLocks.Held held = locks.hold(spec.targetTable(), "resync of " + config.routeId())) {
            if (config.fansOut()) {
                rebuildTenants(config, spec, out);
            } else if (schema.needsRebuild(spec)) {
                schema.rebuild(spec);
                out.println(config.routeId() + ": target table " + spec.targetTable() + " rebuilt with the types Postgres maps to");
            }
            checkpoints.reset(spec.targetTable());
        }
        if (!TableRunner.runOnce(camel, config.routeId())) {
            out.println(config.routeId() + ": resync failed while copying (see the log); run it again once the cause is fixed");
            return false;
        }
        // a table with fan-out: from every tenant database its key index names for a row gone from Postgres
        long deleted = r.lookupByNameAndType("deleteReconciliation", DeleteReconciliation.class).reconcileAll(config.routeId());
        out.println(config.routeId() + ": resynced: every row copied again" + (config.fansOut() ? " into its tenant's database" : "")
                + ", " + deleted + " rows no longer in Postgres deleted");
        return true;
    }

    /** A table with fan-out: rebuilt in each tenant database where a column's type (or the key) changed, one at a time. */
    private void rebuildTenants(TableConfig config, TableSpec spec, PrintStream out) {
        List<String> rebuilt = new TenantRebuilds(camel.getRegistry().lookupByNameAndType("tenantDatabases",
                TenantDatabases.class)).rebuildAll(spec);
        if (!rebuilt.isEmpty()) {
            out.println(config.routeId() + ": target table " + spec.targetTable() + " rebuilt with the types Postgres maps to in "
                    + rebuilt.size() + " tenant databases");
        }
    }

    /**
     * Forgets the table's checkpoint: its next pass copies every row again (the guarded upsert keeps newer versions).
     * Refused while a pass holds the table, which would save its checkpoint over the reset.
     */
    public void resetCheckpoint(String table, PrintStream out) throws SQLException {
        TableConfig config = select(table);
        String target = tables.spec(config).targetTable();
        boolean had;
        try (TableLocks.Held held = locks.hold(target, "reset-checkpoint of " + config.routeId())) {
            had = checkpoints.reset(target);
        }
        out.println(config.routeId() + ": " + (had ? "checkpoint reset" : "had no checkpoint")
                + "; the next pass copies every row again");
    }

    private TableConfig select(String table) {
        List<TableConfig> all = tables.configs();
        if (table == null) {
            throw new ConfigException("Name the table with --table NAME (tables: " + all.stream().map(TableConfig::routeId).toList() + ")");
        }
        return all.stream().filter(c -> c.routeId().equals(table)).findFirst()
                .or(() -> all.stream().filter(c -> tables.spec(c).targetTable().equalsIgnoreCase(table)).findFirst())
                .orElseThrow(() -> new ConfigException("No table '" + table + "' (tables: "
                        + all.stream().map(TableConfig::routeId).toList() + ")"));
    }
}
