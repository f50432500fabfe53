package io.pgturso.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key index's compact form: tables and databases as small integers (two dictionary tables, their ids kept in
 * memory) and a key of one integer column as that integer, so that each entry is a few bytes compared as integers.
 * Ids are cached only once committed (a transaction that made one may still roll back).
 */
final class KeyCodes {
    /** The tables of the index, each with the column of its integer keys (null: its keys are kept as text). */
    static final String TABLES = "pgturso_tenant_key_tables";
    /** The databases of the index. */
    static final String DATABASES = "pgturso_tenant_key_databases";
    static final String CREATE_TABLES = "CREATE TABLE IF NOT EXISTS " + TABLES + " (id INTEGER PRIMARY KEY, "
            + "sync_table TEXT NOT NULL UNIQUE, int_column TEXT)";
    static final String CREATE_DATABASES = "CREATE TABLE IF NOT EXISTS " + DATABASES + " (id INTEGER PRIMARY KEY, "
            + "tenant_database TEXT NOT NULL UNIQUE)";

    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final Map<String, Long> databases = new ConcurrentHashMap<>();

    /** A table's id and how its keys are stored. */
    record Table(long id, String intColumn) {
        /**
         * The stored form of a key ({@code RowKey} JSON): a {@code Long} when it is the integer column's value written
         * as Postgres writes an integer (so that {@link #decode} gives the same text back), else the text as it is.
         */
        Object encode(String key) {
            if (intColumn == null) {
                return key;
            }
            int start = intColumn.length() + 5; // after {"col":"
            if (key.length() <= start + 2 || !key.startsWith(intColumn, 2) || !key.startsWith("{\"")
                    || !key.startsWith("\":\"", start - 3) || !key.endsWith("\"}")) {
                return key;
            }
            Long value = integerValue(key, start, key.length() - 2);
            return value != null ? value : key;
        }

        /** The {@code RowKey} JSON of a stored key. */
        String decode(Object stored) {
            return stored instanceof Number n ? "{\"" + intColumn + "\":\"" + n.longValue() + "\"}" : (String) stored;
        }
    }

    /** Whether {@code s[from, to)} is an integer in its one canonical form (no sign but '-', no leading zero, 18 digits at most). */
    static boolean integer(String s, int from, int to) {
        int i = from < to && s.charAt(from) == '-' ? from + 1 : from;
        if (i >= to || to - i > 18 || s.charAt(i) == '0' && (to - i > 1 || i > from)) {
            return false;
        }
        for (int j = i; j < to; j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The value of {@code s[from, to)} when {@link #integer} holds, else null (parsed here: a page asks for each of its keys). */
    static Long integerValue(String s, int from, int to) {
        if (!integer(s, from, to)) {
            return null;
        }
        boolean negative = s.charAt(from) == '-';
        long n = 0;
        for (int j = negative ? from + 1 : from; j < to; j++) {
            n = n * 10 + (s.charAt(j) - '0');
        }
        return negative ? -n : n;
    }

    /** The integer column of a table whose first key is {@code key} ({@code {"id":"42"}}), or null (text keys). */
    static String intColumn(String key) {
        if (key == null || !key.startsWith("{\"") || !key.endsWith("\"}")) {
            return null;
        }
        int end = key.indexOf("\":\"");
        if (end < 3 || !integer(key, end + 3, key.length() - 2)) {
            return null;
        }
        String column = key.substring(2, end);
        // plain printable ASCII only: its JSON text is then the name itself, written alike by every encoder
        return column.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? column : null;
    }

    /** A table of the index, or null when it has none yet. */
    Table table(Connection c, String name) throws SQLException {
        Table known = tables.get(name);
        if (known != null) {
            return known;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, int_column FROM " + TABLES + " WHERE sync_table = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Table t = new Table(rs.getLong(1), rs.getString(2));
                remember(c, () -> tables.put(name, t));
                return t;
            }
        }
    }

    /** A table of the index, added (its keys' form taken from {@code firstKey}) when new; outside a transaction. */
    Table table(Connection c, String name, String firstKey) throws SQLException {
        Table t = table(c, name);
        if (t != null) {
            return t;
        }
        addTable(c, name, intColumn(firstKey));
        return table(c, name);
    }

    /** The id of a database, or null when the index never named it. */
    Long database(Connection c, String name) throws SQLException {
        return knownDatabases(c, List.of(name)).get(name);
    }

    /** The ids of those of these databases the index named (none added): those not in memory read in one statement. */
    Map<String, Long> knownDatabases(Connection c, Collection<String> names) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        Set<String> missing = new TreeSet<>();
        for (String name : names) {
            Long id = databases.get(name);
            if (id != null) {
                out.put(name, id);
            } else {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            out.putAll(databaseIds(c, missing));
        }
        return out;
    }

    /**
     * The ids of these databases, added when new (outside a transaction only: a transaction on libSQL sends its writes
     * at commit, so its reads would not find them; in one, the ids of new databases are left out).
     */
    Map<String, Long> databases(Connection c, Collection<String> names) throws SQLException {
        if (c.getAutoCommit()) {
            List<String> missing = names.stream().filter(name -> !databases.containsKey(name)).toList();
            if (!missing.isEmpty()) {
                ControlTransaction.run(c, () -> addDatabases(c, missing));
            }
        }
        return knownDatabases(c, names);
    }

    /** Adds these databases to the dictionary when new (in the caller's transaction, if any). */
    static void addDatabases(Connection c, Collection<String> names) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + DATABASES + " (tenant_database) VALUES (?) "
                + "ON CONFLICT DO NOTHING")) {
            for (String name : names) {
                ps.setString(1, name);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Adds a table to the dictionary when new (in the caller's transaction, if any). */
    static void addTable(Connection c, String name, String intColumn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLES + " (sync_table, int_column) VALUES (?, ?) "
                + "ON CONFLICT DO NOTHING")) {
            ps.setString(1, name);
            ps.setString(2, intColumn);
            ps.executeUpdate();
        }
    }

    /** The ids the dictionary holds for these names, in one statement (the names as one JSON array): one request on Turso. */
    private Map<String, Long> databaseIds(Connection c, Collection<String> names) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        StringBuilder json = new StringBuilder(24 * names.size()).append('[');
        for (String name : names) {
            jsonValue(json.append(json.length() > 1 ? "," : ""), name);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT d.tenant_database, d.id FROM json_each(?) AS n JOIN "
                + DATABASES + " AS d ON d.tenant_database = n.value")) {
            ps.setString(1, json.append(']').toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        remember(c, () -> databases.putAll(out));
        return out;
    }

    /** Keeps what was read in memory only when it is committed (the connection is in no transaction). */
    private static void remember(Connection c, Runnable put) throws SQLException {
        if (c.getAutoCommit()) {
            put.run();
        }
    }

    /**
     * The stored forms of these keys as one JSON array, in the index's order (integers first, then text) so that the
     * index is read front to back; integers sorted as primitives (a page has 20,000 keys).
     */
    static String jsonArray(Table table, Collection<String> keys) {
        long[] ints = new long[keys.size()];
        int n = 0;
        List<String> texts = new ArrayList<>();
        for (String key : keys) {
            Object stored = table.encode(key);
            if (stored instanceof Long value) {
                ints[n++] = value;
            } else {
                texts.add((String) stored);
            }
        }
        Arrays.sort(ints, 0, n);
        texts.sort(null);
        StringBuilder json = new StringBuilder(12 * keys.size()).append('[');
        for (int i = 0; i < n; i++) {
            json.append(i > 0 ? "," : "").append(ints[i]);
        }
        for (String text : texts) {
            jsonValue(json.append(json.length() > 1 ? "," : ""), text);
        }
        return json.append(']').toString();
    }

    /** A stored key as a JSON value: an integer as it is, text quoted. */
    static StringBuilder jsonValue(StringBuilder json, Object stored) {
        if (stored instanceof Long n) {
            return json.append(n.longValue());
        }
        json.append('"');
        QUOTE.quoteAsString((String) stored, json);
        return json.append('"');
    }

    /** SQLite's order of stored keys: integers before text. */
    static int compareStored(Object a, Object b) {
        if (a instanceof Long x) {
            return b instanceof Long y ? Long.compare(x, y) : -1;
        }
        return b instanceof Long ? 1 : ((String) a).compareTo((String) b);
    }
}
