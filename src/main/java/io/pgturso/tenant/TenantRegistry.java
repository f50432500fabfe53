package io.pgturso.tenant;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The tenant databases created so far, in the control database (table {@code pgturso_tenants}): which tenant each one
 * holds, and how its writes went (for {@code status}). A database is registered once it exists with its tables, so a
 * registered one is ready; a name already taken by another tenant is refused, never shared.
 */
public class TenantRegistry {
    /** The registry table in the control database. */
    public static final String TABLE = "pgturso_tenants";
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (tenant_database TEXT PRIMARY KEY, "
            + "tenant TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, rows_written INTEGER NOT NULL DEFAULT 0, "
            + "writes INTEGER NOT NULL DEFAULT 0, write_ms INTEGER NOT NULL DEFAULT 0, last_written_at TEXT)";

    private final JdbcTemplate control;
    /** Tenant value to database name, as registered (loaded on first use; guarded by this). */
    private Map<String, String> byTenant;
    private final Map<String, String> byDatabase = new HashMap<>();

    public TenantRegistry(JdbcTemplate control) {
        this.control = control;
    }

    /** Creates the registry table if needed. */
    public void createTable() {
        control.execute(CREATE);
    }

    /** The database of a registered tenant, or null. */
    public synchronized String database(String tenant) {
        return loaded().get(tenant);
    }

    /** The tenant a database holds, or null when it is not registered. */
    public synchronized String tenant(String database) {
        loaded();
        return byDatabase.get(database);
    }

    /** Registers a created database; refused when the name is another tenant's. */
    public synchronized void register(String tenant, String database) {
        String holder = tenant(database);
        if (holder == null) {
            control.update("INSERT INTO " + TABLE + " (tenant_database, tenant, created_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT DO NOTHING", database, tenant, Instant.now().toString());
            List<String> stored = control.queryForList("SELECT tenant FROM " + TABLE + " WHERE tenant_database = ?",
                    String.class, database);
            holder = stored.isEmpty() ? null : stored.get(0);
        }
        if (holder != null && !holder.equals(tenant)) {
            throw new TenantNameTakenException("Tenants '" + holder + "' and '" + tenant + "' would share the database '"
                    + database + "': the second one's rows are not written (rename one tenant, or drop the database with "
                    + "drop-tenant --tenant " + holder + " if that tenant is gone)");
        }
        loaded().put(tenant, database);
        byDatabase.put(database, tenant);
    }

    /** How many tenant databases are registered. */
    public synchronized int size() {
        return loaded().size();
    }

    /** Forgets a dropped database. */
    public synchronized void remove(String database) {
        control.update("DELETE FROM " + TABLE + " WHERE tenant_database = ?", database);
        String tenant = byDatabase.remove(database);
        if (tenant != null && byTenant != null) {
            byTenant.remove(tenant);
        }
    }

    /** Adds what one page wrote into each tenant database: one batch in one transaction (not one commit per database). */
    public void recordWrites(List<Written> writes) {
        if (writes.isEmpty()) {
            return;
        }
        String now = Instant.now().toString();
        control.execute((ConnectionCallback<Void>) c -> ControlTransaction.run(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET rows_written = rows_written + ?, "
                    + "writes = writes + 1, write_ms = write_ms + ?, last_written_at = ? WHERE tenant_database = ?")) {
                for (Written w : writes) {
                    ps.setLong(1, w.rows());
                    ps.setLong(2, w.millis());
                    ps.setString(3, now);
                    ps.setString(4, w.database());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }));
    }

    /** Every registered tenant database, by name. */
    public List<Tenant> all() {
        return control.query("SELECT tenant_database, tenant, created_at, rows_written, writes, write_ms, last_written_at FROM "
                + TABLE + " ORDER BY tenant_database", (rs, i) -> new Tenant(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getString(7)));
    }

    /** What one page wrote into one tenant database. */
    public record Written(String database, long rows, long millis) {
    }

    /** A registered tenant database and its writes so far. */
    public record Tenant(String database, String tenant, String createdAt, long rowsWritten, long writes, long writeMillis,
            String lastWrittenAt) {
        /** Milliseconds per write, on average (0 before any). */
        public double millisPerWrite() {
            return writes == 0 ? 0 : (double) writeMillis / writes;
        }
    }

    private Map<String, String> loaded() {
        if (byTenant == null) {
            Map<String, String> all = new HashMap<>();
            control.query("SELECT tenant, tenant_database FROM " + TABLE, rs -> {
                all.put(rs.getString(1), rs.getString(2));
                byDatabase.put(rs.getString(2), rs.getString(1));
            });
            byTenant = all;
        }
        return byTenant;
    }
}
