package io.pgturso.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which tenant databases may hold each row of a table with fan-out (table {@code pgturso_tenant_key_index} in the
 * control database, read as names and key JSON through the view {@code pgturso_tenant_keys}): how a row whose tenant
 * changed is found in its old tenant's database. A database is added before the row is written there and removed only
 * once the row has left it, so after any crash the index holds at least every database that holds the row (a stale
 * entry costs one delete that finds nothing). Entries are compact ({@link KeyCodes}): the index is written for every
 * row a page writes.
 */
public class TenantKeys {
    private static final Logger LOG = LoggerFactory.getLogger(TenantKeys.class);
    /** The index table in the control database. */
    public static final String TABLE = "pgturso_tenant_key_index";
    /** The rows a copy from a snapshot wrote, by database ({@code *}: read but not written, kept wherever it is). */
    static final String COPIED = "pgturso_tenant_key_copied";
    /** The entries of these keys (a JSON array of stored keys): one statement however many keys. */
    private static final String LOOKUP = "SELECT k.value, d.tenant_database FROM json_each(?) AS k CROSS JOIN " + TABLE
            + " AS t ON t.sync_table = ? AND t.row_key = k.value JOIN " + KeyCodes.DATABASES + " AS d ON d.id = t.tenant_database";
    /** Adds entries (a JSON array of [key, database id] pairs); an entry present already stays as it is. */
    private static final String ADD = "INSERT INTO " + TABLE + " (sync_table, row_key, tenant_database) SELECT ?, "
            + "json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?) WHERE true ON CONFLICT DO NOTHING";
    private static final String DELETE = "DELETE FROM " + TABLE + " WHERE sync_table = ? AND row_key = ? AND tenant_database = ?";
    /** A page of a table's entries (the copy's condition and the after-condition appended or not). */
    private static final String ENTRIES = "SELECT k.row_key, d.tenant_database FROM " + TABLE + " AS k JOIN "
            + KeyCodes.DATABASES + " AS d ON d.id = k.tenant_database WHERE k.sync_table = ? ";
    /** Only the entries of rows the copy did not write to that database. */
    private static final String NOT_COPIED = "AND NOT EXISTS (SELECT 1 FROM " + COPIED + " AS c WHERE c.sync_table = "
            + "k.sync_table AND c.row_key = k.row_key AND c.tenant_database IN (k.tenant_database, ?)) ";
    private static final String AFTER = "AND (k.row_key > ? OR k.row_key = ? AND k.tenant_database > ?) ";
    private static final String PAGE = "ORDER BY k.row_key, k.tenant_database LIMIT ?";

    private final JdbcTemplate control;
    private final KeyCodes codes = new KeyCodes();
    /** The tables whose copy from a snapshot notes the rows it writes. */
    private final Set<String> noting = ConcurrentHashMap.newKeySet();

    public TenantKeys(JdbcTemplate control) {
        this.control = control;
    }

    /** Creates the index tables if needed, and moves an index of the first layout over (one transaction). */
    public void createTable() {
        long moved = on(c -> KeyIndexLayout.createOrMove(c));
        if (moved > 0) {
            LOG.info("Moved the key index's {} entries into its compact layout ({})", moved, TABLE);
        }
    }

    /**
     * The databases that may hold each of these rows (keys as {@code RowKey} JSON); rows in none are left out. One
     * statement for all of them (the keys as one JSON array, in the index's order so that it is read front to back).
     */
    public Map<String, Set<String>> lookup(String table, Collection<String> keys) {
        Map<String, Set<String>> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        return on(c -> {
            KeyCodes.Table t = codes.table(c, table);
            if (t == null) {
                return out;
            }
            try (PreparedStatement ps = c.prepareStatement(LOOKUP)) {
                ps.setString(1, KeyCodes.jsonArray(t, keys)); // a key given twice finds its entries twice: the same sets
                ps.setLong(2, t.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(t.decode(rs.getObject(1)), k -> new HashSet<>(2)).add(rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    /** Notes that these databases may now hold these rows, before they are written there (one statement, in key order). */
    public void add(String table, List<Entry> entries) {
        if (!entries.isEmpty()) {
            on(c -> insert(c, TABLE, table, entries));
        }
    }

    /** Forgets these databases for these rows, once the rows have left them. */
    public void remove(String table, List<Entry> entries) {
        if (!entries.isEmpty()) {
            on(c -> {
                // the ids read before the transaction, where they can be kept in memory
                if (codes.table(c, table) != null) {
                    codes.knownDatabases(c, entries.stream().map(Entry::database).distinct().toList());
                }
                return ControlTransaction.run(c, () -> remove(c, Map.of(table, entries)));
            });
        }
    }

    /**
     * In the caller's transaction on the control database: each table's entries become these ones. The ids are read by
     * the statements themselves (a transaction on libSQL sends its writes at commit: a read would not see a new one).
     */
    public void replace(Connection c, Map<String, List<Entry>> byTable) throws SQLException {
        for (Map.Entry<String, List<Entry>> table : byTable.entrySet()) {
            String name = table.getKey();
            ControlQueries.update(c, "DELETE FROM " + TABLE + " WHERE sync_table = (SELECT id FROM " + KeyCodes.TABLES
                    + " WHERE sync_table = ?)", name);
            if (table.getValue().isEmpty()) {
                continue;
            }
            KeyCodes.Table known = codes.table(c, name);
            KeyCodes.Table t = known != null ? known : new KeyCodes.Table(-1, KeyCodes.intColumn(table.getValue().get(0).key()));
            KeyCodes.addTable(c, name, t.intColumn());
            KeyCodes.addDatabases(c, table.getValue().stream().map(Entry::database).distinct().toList());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (sync_table, row_key, tenant_database) "
                    + "SELECT t.id, ?, d.id FROM " + KeyCodes.TABLES + " AS t, " + KeyCodes.DATABASES + " AS d "
                    + "WHERE t.sync_table = ? AND d.tenant_database = ? ON CONFLICT DO NOTHING")) {
                for (Entry e : table.getValue()) {
                    ps.setObject(1, t.encode(e.key()));
                    ps.setString(2, name);
                    ps.setString(3, e.database());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /**
     * A copy of the table from a snapshot starts: what an earlier copy noted is forgotten, and its pages note the rows
     * they write when the index lists rows of the table already (else there is nothing to sweep). Returns whether they do.
     */
    public boolean copyStarted(String table) {
        copyDone(table);
        boolean any = on(c -> {
            KeyCodes.Table t = codes.table(c, table);
            return t != null && ControlQueries.exists(c, "SELECT 1 FROM " + TABLE + " WHERE sync_table = ? LIMIT 1", t.id());
        });
        if (any) {
            noting.add(table);
        }
        return any;
    }

    /** Notes the rows a page of the table's copy wrote to these databases (one statement), while its copy notes them. */
    public void copied(String table, List<Entry> entries) {
        if (!entries.isEmpty() && noting.contains(table)) {
            on(c -> insert(c, COPIED, table, entries));
        }
    }

    /** Whether the table's copy notes the rows it writes. */
    public boolean noting(String table) {
        return noting.contains(table);
    }

    /**
     * Up to {@code limit} entries of the index, after the given one (an empty key: from the first), for rows the copy
     * did not write to that database; in the index's order.
     */
    public List<Entry> notCopied(String table, Entry after, int limit) {
        return page(table, after, limit, true);
    }

    /**
     * Up to {@code limit} entries of a table's index after the given one (an empty key: from the first), in the index's
     * order (row, then database): how the hard-delete reconciliation walks the rows the tenant databases may hold.
     */
    public List<Entry> after(String table, Entry after, int limit) {
        return page(table, after, limit, false);
    }

    private List<Entry> page(String table, Entry after, int limit, boolean notCopied) {
        return on(c -> {
            List<Entry> out = new ArrayList<>();
            KeyCodes.Table t = codes.table(c, table);
            if (t == null) {
                return out;
            }
            boolean from = !after.key().isEmpty();
            try (PreparedStatement ps = c.prepareStatement(ENTRIES + (notCopied ? NOT_COPIED : "") + (from ? AFTER : "") + PAGE)) {
                int i = 1;
                ps.setLong(i++, t.id());
                if (notCopied) {
                    Long any = codes.database(c, "*");
                    ps.setLong(i++, any == null ? -1 : any);
                }
                if (from) {
                    Object key = t.encode(after.key());
                    Long database = codes.database(c, after.database());
                    ps.setObject(i++, key);
                    ps.setObject(i++, key);
                    ps.setLong(i++, database == null ? -1 : database);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(t.decode(rs.getObject(1)), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** The copy is over (or starts anew): its notes are forgotten. */
    public void copyDone(String table) {
        noting.remove(table);
        on(c -> {
            KeyCodes.Table t = codes.table(c, table);
            return t == null ? 0 : ControlQueries.update(c, "DELETE FROM " + COPIED + " WHERE sync_table = ?", t.id());
        });
    }

    /** Forgets a dropped database for every table. */
    public void removeDatabase(String database) {
        on(c -> {
            Long id = codes.database(c, database);
            return id == null ? 0 : ControlQueries.update(c, "DELETE FROM " + TABLE + " WHERE tenant_database = ?", id);
        });
    }

    /** How many tenant databases hold rows of a table, as the index lists them (for status). */
    public long databases(String table) {
        return on(c -> {
            KeyCodes.Table t = codes.table(c, table);
            return t == null ? 0L : ControlQueries.count(c, "SELECT count(DISTINCT tenant_database) FROM " + TABLE + " WHERE sync_table = ?", t.id());
        });
    }

    /** How many rows of each database the index lists for a table (for verify and drop-tenant). */
    public long count(String table, String database) {
        return on(c -> {
            KeyCodes.Table t = codes.table(c, table);
            Long id = codes.database(c, database);
            return t == null || id == null ? 0L
                    : ControlQueries.count(c, "SELECT count(*) FROM " + TABLE + " WHERE sync_table = ? AND tenant_database = ?", t.id(), id);
        });
    }

    /** Adds entries to the index or to the copy's notes: one statement of [key, database id] pairs, in the index's order. */
    private Void insert(Connection c, String into, String table, List<Entry> entries) throws SQLException {
        KeyCodes.Table t = codes.table(c, table, entries.get(0).key());
        Map<String, Long> ids = codes.databases(c, entries.stream().map(Entry::database).distinct().toList());
        List<Map.Entry<Object, Long>> pairs = new ArrayList<>(entries.size());
        entries.forEach(e -> pairs.add(Map.entry(t.encode(e.key()), ids.get(e.database()))));
        pairs.sort((a, b) -> {
            int byKey = KeyCodes.compareStored(a.getKey(), b.getKey());
            return byKey != 0 ? byKey : Long.compare(a.getValue(), b.getValue());
        });
        StringBuilder json = new StringBuilder(24 * pairs.size()).append('[');
        for (Map.Entry<Object, Long> p : pairs) {
            KeyCodes.jsonValue(json.append(json.length() > 1 ? ",[" : "["), p.getKey()).append(',').append(p.getValue()).append(']');
        }
        try (PreparedStatement ps = c.prepareStatement(ADD.replace(TABLE, into))) {
            ps.setLong(1, t.id());
            ps.setString(2, json.append(']').toString());
            ps.executeUpdate();
        }
        return null;
    }

    /** In the caller's transaction on the control database: forgets these databases for these rows, by table. */
    public void remove(Connection c, Map<String, List<Entry>> byTable) throws SQLException {
        Map<String, Long> ids = codes.knownDatabases(c, byTable.values().stream().flatMap(List::stream).map(Entry::database)
                .distinct().toList());
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            boolean any = false;
            for (Map.Entry<String, List<Entry>> table : byTable.entrySet()) {
                KeyCodes.Table t = table.getValue().isEmpty() ? null : codes.table(c, table.getKey());
                if (t == null) {
                    continue; // the index never listed a row of it
                }
                for (Entry e : table.getValue()) {
                    Long database = ids.get(e.database());
                    if (database == null) {
                        continue; // never named by the index
                    }
                    ps.setLong(1, t.id());
                    ps.setObject(2, t.encode(e.key()));
                    ps.setLong(3, database);
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    private <T> T on(ConnectionCallback<T> work) {
        return control.execute(work);
    }

    /** A row (its key as {@code RowKey} JSON) and a database that may hold it. */
    public record Entry(String key, String database) {
    }
}
