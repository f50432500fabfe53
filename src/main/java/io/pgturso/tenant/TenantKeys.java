package io.pgturso.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    /** The entries of these keys (a JSON array of {@code RowKey} JSON texts): one statement however many keys. */
    private static final String LOOKUP = "SELECT k.value, t.tenant_database FROM json_each(?) AS k CROSS JOIN " + TABLE
            + " AS t ON t.sync_table = ? AND t.row_key = k.value";
    /** Adds entries (a JSON array of [key, database] pairs); an entry present already stays as it is. */
    private static final String ADD = "INSERT INTO " + TABLE + " (sync_table, row_key, tenant_database) SELECT ?, "
            + "json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true ON CONFLICT DO NOTHING";
    /** The rows a copy from a snapshot wrote, by database ({@code *}: read but not written, kept wherever it is). */
    private static final String COPIED = "pgturso_tenant_copied";
    private static final String CREATE_COPIED = "CREATE TABLE IF NOT EXISTS " + COPIED + " (sync_table TEXT NOT NULL, "
            + "row_key TEXT NOT NULL, tenant_database TEXT NOT NULL, PRIMARY KEY (sync_table, row_key, tenant_database)) "
            + "WITHOUT ROWID";
    /** The index's entries of a table the copy did not write (one page of them). */
    private static final String NOT_COPIED = "SELECT k.row_key, k.tenant_database FROM " + TABLE + " AS k WHERE k.sync_table = ? "
            + "AND NOT EXISTS (SELECT 1 FROM " + COPIED + " AS c WHERE c.sync_table = k.sync_table AND c.row_key = k.row_key "
            + "AND c.tenant_database IN (k.tenant_database, '*')) AND (k.row_key > ? OR k.row_key = ? AND k.tenant_database > ?) "
            + "ORDER BY k.row_key, k.tenant_database LIMIT ?";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate control;
    /** The tables whose copy from a snapshot notes the rows it writes. */
    private final Set<String> noting = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public TenantKeys(JdbcTemplate control) {
        this.control = control;
    }

    /** Creates the index table if needed. */
    public void createTable() {
        control.execute(CREATE);
    }

    /**
     * The databases that may hold each of these rows (keys as {@code RowKey} JSON); rows in none are left out. One
     * statement for all of them (the keys as one JSON array, in key order so that the index is read front to back).
     */
    public Map<String, Set<String>> lookup(String table, Collection<String> keys) {
        Map<String, Set<String>> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        control.query(LOOKUP, (ResultSet rs) -> {
            out.computeIfAbsent(rs.getString(1), k -> new HashSet<>(2)).add(rs.getString(2));
        }, json(new TreeSet<>(keys)), table);
        return out;
    }

    /** Notes that these databases may now hold these rows, before they are written there (one statement, in key order). */
    public void add(String table, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::key).thenComparing(Entry::database));
        List<List<String>> pairs = new ArrayList<>(sorted.size());
        sorted.forEach(e -> pairs.add(List.of(e.key(), e.database())));
        control.update(ADD, table, json(pairs));
    }

    /** Forgets these databases for these rows, once the rows have left them. */
    public void remove(String table, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        control.execute((ConnectionCallback<Void>) c -> ControlTransaction.run(c, () -> {
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

    /**
     * A copy of the table from a snapshot starts: what an earlier copy noted is forgotten, and its pages note the rows
     * they write when the index lists rows of the table already (else there is nothing to sweep). Returns whether they do.
     */
    public boolean copyStarted(String table) {
        control.execute(CREATE_COPIED);
        copyDone(table);
        if (control.queryForList("SELECT 1 FROM " + TABLE + " WHERE sync_table = ? LIMIT 1", Integer.class, table).isEmpty()) {
            return false;
        }
        noting.add(table);
        return true;
    }

    /** Notes the rows a page of the table's copy wrote to these databases (one statement), while its copy notes them. */
    public void copied(String table, List<Entry> entries) {
        if (entries.isEmpty() || !noting.contains(table)) {
            return;
        }
        List<List<String>> pairs = new ArrayList<>(entries.size());
        entries.forEach(e -> pairs.add(List.of(e.key(), e.database())));
        control.update(ADD.replace(TABLE, COPIED), table, json(pairs));
    }

    /** Whether the table's copy notes the rows it writes. */
    public boolean noting(String table) {
        return noting.contains(table);
    }

    /** Up to {@code limit} entries of the index, after the given one, for rows the copy did not write to that database. */
    public List<Entry> notCopied(String table, Entry after, int limit) {
        return control.query(NOT_COPIED, (rs, i) -> new Entry(rs.getString(1), rs.getString(2)), table, after.key(), after.key(),
                after.database(), limit);
    }

    /**
     * Up to {@code limit} entries of a table's index after the given one, in (row, database) order: how the hard-delete
     * reconciliation walks the rows the tenant databases may hold.
     */
    public List<Entry> after(String table, Entry after, int limit) {
        return control.query("SELECT row_key, tenant_database FROM " + TABLE + " WHERE sync_table = ? AND (row_key > ? "
                + "OR row_key = ? AND tenant_database > ?) ORDER BY row_key, tenant_database LIMIT ?",
                (rs, i) -> new Entry(rs.getString(1), rs.getString(2)), table, after.key(), after.key(), after.database(), limit);
    }

    /** The copy is over (or starts anew): its notes are forgotten. */
    public void copyDone(String table) {
        noting.remove(table);
        control.update("DELETE FROM " + COPIED + " WHERE sync_table = ?", table);
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

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A row (its key as {@code RowKey} JSON) and a database that may hold it. */
    public record Entry(String key, String database) {
    }
}
