package io.pgturso.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which tenant databases may hold each row of a table with fan-out (table {@code pgturso_tenant_keys} in the control
 * database): how a row whose tenant changed is found in its old tenant's database. A database is added before the row
 * is written there and removed only once the row has left it, so after any crash the index holds at least every
 * database that holds the row (a stale entry costs one delete that finds nothing).
 */
public class TenantKeys {
    /** The index table in the control database. */
    public static final String TABLE = "pgturso_tenant_keys";
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (sync_table TEXT NOT NULL, "
            + "row_key TEXT NOT NULL, tenant_database TEXT NOT NULL, PRIMARY KEY (sync_table, row_key, tenant_database)) "
            + "WITHOUT ROWID";
    /** Keys looked up, or entries written, per statement (SQLite binds at most 32,766 values). */
    private static final int PER_STATEMENT = 500;

    private final JdbcTemplate control;

    public TenantKeys(JdbcTemplate control) {
        this.control = control;
    }

    /** Creates the index table if needed. */
    public void createTable() {
        control.execute(CREATE);
    }

    /** The databases that may hold each of these rows (keys as {@code RowKey} JSON); rows in none are left out. */
    public Map<String, Set<String>> lookup(String table, Collection<String> keys) {
        Map<String, Set<String>> out = new HashMap<>();
        List<String> all = new ArrayList<>(new HashSet<>(keys));
        for (int from = 0; from < all.size(); from += PER_STATEMENT) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + PER_STATEMENT));
            String sql = "SELECT row_key, tenant_database FROM " + TABLE + " WHERE sync_table = ? AND row_key IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            Object[] args = new Object[chunk.size() + 1];
            args[0] = table;
            for (int i = 0; i < chunk.size(); i++) {
                args[i + 1] = chunk.get(i);
            }
            control.query(sql, (ResultSet rs) -> {
                out.computeIfAbsent(rs.getString(1), k -> new HashSet<>(2)).add(rs.getString(2));
            }, args);
        }
        return out;
    }

    /** Notes that these databases may now hold these rows, before they are written there. */
    public void add(String table, List<Entry> entries) {
        write("INSERT INTO " + TABLE + " (sync_table, row_key, tenant_database) VALUES ", "(?, ?, ?)",
                " ON CONFLICT DO NOTHING", table, entries);
    }

    /** Forgets these databases for these rows, once the rows have left them. */
    public void remove(String table, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        control.execute((ConnectionCallback<Void>) c -> inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE
                    + " WHERE sync_table = ? AND row_key = ? AND tenant_database = ?")) {
                for (Entry e : entries) {
                    ps.setString(1, table);
                    ps.setString(2, e.key());
                    ps.setString(3, e.database());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }));
    }

    /** Forgets a dropped database for every table. */
    public void removeDatabase(String database) {
        control.update("DELETE FROM " + TABLE + " WHERE tenant_database = ?", database);
    }

    /** How many tenant databases hold rows of a table, as the index lists them (for status). */
    public long databases(String table) {
        Long n = control.queryForObject("SELECT count(DISTINCT tenant_database) FROM " + TABLE + " WHERE sync_table = ?",
                Long.class, table);
        return n == null ? 0 : n;
    }

    /** How many rows of each database the index lists for a table (for verify and drop-tenant). */
    public long count(String table, String database) {
        Long n = control.queryForObject("SELECT count(*) FROM " + TABLE + " WHERE sync_table = ? AND tenant_database = ?",
                Long.class, table, database);
        return n == null ? 0 : n;
    }

    private void write(String head, String tuple, String tail, String table, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        control.execute((ConnectionCallback<Void>) c -> inTransaction(c, () -> {
            for (int from = 0; from < entries.size(); from += PER_STATEMENT) {
                List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + PER_STATEMENT));
                try (PreparedStatement ps = c.prepareStatement(head + String.join(", ", Collections.nCopies(chunk.size(), tuple)) + tail)) {
                    int i = 1;
                    for (Entry e : chunk) {
                        ps.setString(i++, table);
                        ps.setString(i++, e.key());
                        ps.setString(i++, e.database());
                    }
                    ps.executeUpdate();
                }
            }
        }));
    }

    /** Runs {@code work} in one transaction (one commit for a page's entries, not one per entry). */
    private static Void inTransaction(Connection c, SqlWork work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return null;
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    /** A row (its key as {@code RowKey} JSON) and a database that may hold it. */
    public record Entry(String key, String database) {
    }
}
