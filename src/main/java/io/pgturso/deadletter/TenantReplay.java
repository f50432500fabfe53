package io.pgturso.deadletter;

import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSql;
import io.pgturso.tenant.FanOutTables;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.transform.RowTransformer;
import io.pgturso.transform.TargetRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A dead-lettered row of a table with fan-out replayed into its tenant's database, as a page's writer would write it:
 * the tenant's database (created if new) noted in the key index before the row is written there, and the databases the
 * row has left (its tenant changed, or it is deleted) emptied of it before the index forgets them.
 */
public class TenantReplay {
    private final TenantDatabases tenants;
    private final TenantKeys keys;
    private final FanOutTables fanOutTables;

    public TenantReplay(TenantDatabases tenants, TenantKeys keys, FanOutTables fanOutTables) {
        this.tenants = tenants;
        this.keys = keys;
        this.fanOutTables = fanOutTables;
    }

    /** Where the replayed row goes: the database that gets it (null for a row to delete) and those it leaves. */
    public record Databases(TargetRow row, String database, List<String> left) {
        /** The database the row is written into ({@code ${variable.replayTenants.database}}), or null. */
        public String getDatabase() {
            return database;
        }
    }

    /**
     * Prepares the row's write: its tenant's database made ready (created when new, with every table with fan-out) and
     * noted in the key index first; the databases the index names besides it are the ones the row leaves.
     */
    public Databases prepare(TableSpec spec, TargetRow row) {
        String key = row.key().json();
        Set<String> held = new TreeSet<>(keys.lookup(spec.targetTable(), List.of(key)).getOrDefault(key, Set.of()));
        String database = null;
        if (!row.deleted()) {
            database = tenants.databaseFor(row.tenant());
            tenants.prepare(row.tenant(), database, spec, fanOutTables::specs);
            if (!held.contains(database)) {
                keys.add(spec.targetTable(), List.of(new TenantKeys.Entry(key, database)));
            }
        } else if (row.tenant() != null && tenants.registry().database(row.tenant()) != null) {
            held.add(tenants.databaseFor(row.tenant()));
        }
        held.remove(database);
        return new Databases(row, database, new ArrayList<>(held));
    }

    /** Deletes the row from the databases it has left (unless one holds a newer version), then the index forgets them. */
    public void leave(TableSpec spec, Databases where) {
        if (where.left().isEmpty()) {
            return;
        }
        TargetRow row = where.row();
        TargetRow delete = row.deleted() ? row
                : TargetRow.deleteOf(spec, RowTransformer.deleteValues(spec, row.source()), row.key());
        List<TenantKeys.Entry> left = new ArrayList<>();
        for (String database : where.left()) {
            if (tenants.registry().tenant(database) != null) {
                tenants.withJdbc(database, jdbc -> jdbc.update(TargetSql.delete(spec), delete.values().toArray()));
            }
            left.add(new TenantKeys.Entry(row.key().json(), database));
        }
        keys.remove(spec.targetTable(), left);
    }
}
