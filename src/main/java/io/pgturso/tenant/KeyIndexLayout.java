package io.pgturso.tenant;

import io.pgturso.verify.TargetTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The key index's tables in the control database, and the move of an index kept in the first layout (names and keys
 * as text in every entry) into the compact one: in one transaction, so that a crash part way leaves the old index
 * whole and the next start moves it again.
 */
final class KeyIndexLayout {
    /** The first layout's index; now a view that reads and writes (its triggers) the compact index as that table did. */
    static final String OLD = "pgturso_tenant_keys";
    /** The first layout's notes of a copy from a snapshot. */
    static final String OLD_COPIED = "pgturso_tenant_copied";

    private KeyIndexLayout() {
    }

    /** The compact index's entries: integers for the table and the database, the key as an integer or its text. */
    static String create(String table) {
        return "CREATE TABLE IF NOT EXISTS " + table + " (sync_table INTEGER NOT NULL, row_key NOT NULL, "
                + "tenant_database INTEGER NOT NULL, PRIMARY KEY (sync_table, row_key, tenant_database)) WITHOUT ROWID";
    }

    private static final String VIEW = "CREATE VIEW IF NOT EXISTS " + OLD + " AS SELECT t.sync_table AS sync_table, "
            + "CASE WHEN typeof(k.row_key) = 'integer' THEN json_object(t.int_column, CAST(k.row_key AS TEXT)) "
            + "ELSE k.row_key END AS row_key, d.tenant_database AS tenant_database FROM " + TenantKeys.TABLE + " AS k JOIN "
            + KeyCodes.TABLES + " AS t ON t.id = k.sync_table JOIN " + KeyCodes.DATABASES + " AS d ON d.id = k.tenant_database";

    /**
     * A key's stored form in SQL ({@code key}: its {@code RowKey} JSON, {@code column}: the table's integer column): an
     * integer where {@link KeyCodes.Table#encode} makes it one (the column with the integer written as Postgres writes
     * it), else the text as it is.
     */
    static String stored(String key, String column) {
        String v = "substr(" + key + ", length(" + column + ") + 6, length(" + key + ") - length(" + column + ") - 7)";
        return "CASE WHEN " + column + " IS NOT NULL AND " + key + " = '{\"' || " + column + " || '\":\"' || " + v
                + " || '\"}' AND CAST(CAST(" + v + " AS INTEGER) AS TEXT) = " + v + " AND length(" + v + ") <= 18 + (substr("
                + v + ", 1, 1) = '-') THEN CAST(" + v + " AS INTEGER) ELSE " + key + " END";
    }

    /** The first layout's entries of {@code from} copied into {@code to} (compact), the names found in the dictionary. */
    private static String move(String from, String to) {
        return "INSERT INTO " + to + " (sync_table, row_key, tenant_database) SELECT t.id, " + stored("o.row_key", "t.int_column")
                + ", d.id FROM " + from + " AS o JOIN " + KeyCodes.TABLES + " AS t ON t.sync_table = o.sync_table JOIN "
                + KeyCodes.DATABASES + " AS d ON d.tenant_database = o.tenant_database WHERE true ON CONFLICT DO NOTHING";
    }

    /** Writing through the view as into the first layout's table: an entry added (names new to it added too) or removed. */
    private static final List<String> TRIGGERS = List.of("CREATE TRIGGER IF NOT EXISTS " + OLD + "_insert INSTEAD OF INSERT ON "
            + OLD + " BEGIN INSERT OR IGNORE INTO " + KeyCodes.TABLES + " (sync_table) VALUES (new.sync_table); "
            + "INSERT OR IGNORE INTO " + KeyCodes.DATABASES + " (tenant_database) VALUES (new.tenant_database); "
            + "INSERT OR IGNORE INTO " + TenantKeys.TABLE + " (sync_table, row_key, tenant_database) SELECT t.id, "
            + stored("new.row_key", "t.int_column") + ", d.id FROM " + KeyCodes.TABLES + " AS t, " + KeyCodes.DATABASES
            + " AS d WHERE t.sync_table = new.sync_table AND d.tenant_database = new.tenant_database; END",
            "CREATE TRIGGER IF NOT EXISTS " + OLD + "_delete INSTEAD OF DELETE ON " + OLD + " BEGIN DELETE FROM "
            + TenantKeys.TABLE + " WHERE (sync_table, row_key, tenant_database) IN (SELECT t.id, "
            + stored("old.row_key", "t.int_column") + ", d.id FROM " + KeyCodes.TABLES + " AS t, " + KeyCodes.DATABASES
            + " AS d WHERE t.sync_table = old.sync_table AND d.tenant_database = old.tenant_database); END");

    /** Creates the tables (and the view) if needed; moves an index of the first layout over. Returns the entries moved. */
    static long createOrMove(Connection c) throws SQLException {
        ControlTransaction.run(c, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(KeyCodes.CREATE_TABLES);
                s.execute(KeyCodes.CREATE_DATABASES);
                s.execute(create(TenantKeys.TABLE));
                s.execute(create(TenantKeys.COPIED));
            }
        });
        List<String> old = new ArrayList<>();
        for (String table : List.of(OLD, OLD_COPIED)) {
            if (TargetTables.exists(c, table)) {
                old.add(table);
            }
        }
        if (old.isEmpty()) {
            ControlQueries.update(c, VIEW);
            for (String trigger : TRIGGERS) {
                ControlQueries.update(c, trigger);
            }
            return 0;
        }
        // the dictionary first (committed: a move that fails leaves names without entries, which costs nothing)
        String union = String.join(" UNION ALL ", old.stream().map(t -> "SELECT sync_table, row_key, tenant_database FROM " + t).toList());
        Map<String, String> firstKeys = new LinkedHashMap<>();
        Set<String> databases = new TreeSet<>();
        try (Statement s = c.createStatement()) {
            // a table's integer column is read from a key that looks like one (the smallest key may be text such as 007)
            try (ResultSet rs = s.executeQuery("SELECT sync_table, coalesce(min(CASE WHEN row_key GLOB '{\"*\":\"[1-9-]*\"}' "
                    + "OR row_key GLOB '{\"*\":\"0\"}' THEN row_key END), min(row_key)) FROM (" + union + ") GROUP BY sync_table")) {
                while (rs.next()) {
                    firstKeys.put(rs.getString(1), rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT tenant_database FROM (" + union + ")")) {
                while (rs.next()) {
                    databases.add(rs.getString(1));
                }
            }
        }
        long moved = old.contains(OLD) ? ControlQueries.count(c, "SELECT count(*) FROM " + OLD) : 0;
        ControlTransaction.run(c, () -> {
            for (Map.Entry<String, String> table : firstKeys.entrySet()) {
                KeyCodes.addTable(c, table.getKey(), KeyCodes.intColumn(table.getValue()));
            }
            KeyCodes.addDatabases(c, databases);
        });
        // then the entries, and the first layout's tables dropped, in one transaction
        ControlTransaction.run(c, () -> {
            try (Statement s = c.createStatement()) {
                for (String table : old) {
                    s.execute(move(table, table.equals(OLD) ? TenantKeys.TABLE : TenantKeys.COPIED));
                    s.execute("DROP TABLE " + table);
                }
                s.execute(VIEW);
                for (String trigger : TRIGGERS) {
                    s.execute(trigger);
                }
            }
        });
        return moved;
    }

}
