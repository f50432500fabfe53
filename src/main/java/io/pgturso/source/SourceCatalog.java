package io.pgturso.source;

import io.pgturso.config.ConfigException;
import io.pgturso.failure.SourceUnavailableException;
import io.pgturso.failure.SyncFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads table definitions (columns, types, primary key) from the Postgres catalog. */
public class SourceCatalog {
    private static final String FIND_TABLE = """
            SELECT c.oid, n.nspname, c.relname, c.relkind IN ('v', 'm') AS view, current_setting('server_encoding') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = ? AND (c.relname = ? OR lower(c.relname) = lower(?))
            ORDER BY c.relname = ? DESC""";
    private static final String COLUMNS = """
            SELECT a.attname, a.attnotnull, format_type(a.atttypid, a.atttypmod) AS declared,
                   b.typname, b.typcategory AS category, e.typname AS element
            FROM pg_attribute a
            CROSS JOIN LATERAL (
                WITH RECURSIVE d(oid, depth) AS (
                    SELECT a.atttypid, 0
                    UNION ALL
                    SELECT t.typbasetype, d.depth + 1 FROM d JOIN pg_type t ON t.oid = d.oid WHERE t.typtype = 'd')
                SELECT oid FROM d ORDER BY depth DESC LIMIT 1) base
            JOIN pg_type b ON b.oid = base.oid
            LEFT JOIN pg_type e ON b.typcategory = 'A' AND e.oid = b.typelem
            WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";
    private static final String PRIMARY_KEY = """
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = ? AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)""";

    private static final String INDEX_LEADING_WITH = """
            SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                           WHERE i.indrelid = CAST(? AS regclass) AND a.attname = ?)""";

    private static final String TYPE = """
            SELECT COALESCE(b.typname, t.typname), COALESCE(b.typcategory, t.typcategory), format_type(t.oid, NULL)
            FROM pg_type t LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
            WHERE t.oid = CAST(CAST(? AS regtype) AS oid)""";

    private final DataSource source;

    public SourceCatalog(DataSource source) {
        this.source = source;
    }

    /** Describes {@code table} ({@code name} or {@code schema.name}); a missing table is a {@link ConfigException}. */
    public SourceTable describe(String table) {
        String schema = "public";
        String name = table;
        int dot = table.indexOf('.');
        if (dot > 0) {
            schema = table.substring(0, dot);
            name = table.substring(dot + 1);
        }
        try (Connection c = source.getConnection()) {
            long oid;
            String realSchema;
            String realName;
            boolean view;
            String encoding;
            try (PreparedStatement ps = c.prepareStatement(FIND_TABLE)) {
                ps.setString(1, schema);
                ps.setString(2, name);
                ps.setString(3, name);
                ps.setString(4, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new ConfigException("Table '" + table + "' does not exist in Postgres (looked in schema '"
                                + schema + "' of database '" + c.getCatalog() + "'); if it was renamed, set its new name in "
                                + "the table's 'table' setting (and targetTable to keep the target's name); if it was "
                                + "dropped, remove its camel.route-template block");
                    }
                    oid = rs.getLong(1);
                    realSchema = rs.getString(2);
                    realName = rs.getString(3);
                    view = rs.getBoolean(4);
                    encoding = rs.getString(5);
                }
            }
            return new SourceTable(realSchema, realName, columns(c, oid), primaryKey(c, oid), view, encoding);
        } catch (SQLException e) {
            throw new SourceUnavailableException("Cannot read the definition of table '" + table + "' from Postgres: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks a table's {@code where} and {@code expressions} by letting Postgres plan them ({@code LIMIT 0}), and returns
     * the computed columns with the types Postgres gives their results. Invalid SQL is a {@link ConfigException}.
     */
    public List<SourceColumn> describeChanges(SourceTable table, RowChanges changes) {
        if (!changes.filters() && changes.expressions().isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT 1");
        changes.expressions().forEach((name, expression) -> sql.append(", (").append(expression).append(") AS ").append(Sql.quote(name)));
        sql.append(" FROM ").append(table.qualifiedName()).append(" AS src");
        if (changes.filters()) {
            sql.append(" WHERE (").append(changes.where()).append(")");
        }
        sql.append(" LIMIT 0");
        try (Connection c = source.getConnection()) {
            List<String> typeNames = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString()); ResultSet rs = ps.executeQuery()) {
                for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
                    typeNames.add(rs.getMetaData().getColumnTypeName(i));
                }
            } catch (SQLException e) {
                if (SyncFailures.isTransient(e)) {
                    throw e;
                }
                throw new ConfigException("Table '" + table.name() + "': Postgres refuses its where / expressions ("
                        + e.getMessage().replaceAll("\\s+", " ") + "); the query was: " + sql);
            }
            List<SourceColumn> out = new ArrayList<>();
            List<String> names = List.copyOf(changes.expressions().keySet());
            for (int i = 0; i < names.size(); i++) {
                try (PreparedStatement ps = c.prepareStatement(TYPE)) {
                    ps.setString(1, typeNames.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.add(new SourceColumn(names.get(i), rs.getString(1), rs.getString(2), rs.getString(3), false));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new SourceUnavailableException("Cannot check the where / expressions of table '" + table.name()
                    + "' in Postgres: " + e.getMessage(), e);
        }
    }

    /** Checks a table's fanOut column or expression by letting Postgres plan it ({@code LIMIT 0}); invalid SQL is a {@link ConfigException}. */
    public void checkFanOut(SourceTable table, String fanOut) {
        String sql = "SELECT CAST((" + fanOut + ") AS text) FROM " + table.qualifiedName() + " AS " + ChangeQuery.TABLE_ALIAS + " LIMIT 0";
        try (Connection c = source.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeQuery().close();
        } catch (SQLException e) {
            if (SyncFailures.isTransient(e)) {
                throw new SourceUnavailableException("Cannot check the fanOut of table '" + table.name() + "' in Postgres: "
                        + e.getMessage(), e);
            }
            throw new ConfigException("Table '" + table.name() + "': Postgres refuses its fanOut (" + e.getMessage().replaceAll("\\s+", " ")
                    + "); the query was: " + sql);
        }
    }

    /** Whether some index of the table starts with {@code column}, so keyset pages are index range scans. */
    public boolean hasIndexLeadingWith(SourceTable table, String column) {
        try (Connection c = source.getConnection(); PreparedStatement ps = c.prepareStatement(INDEX_LEADING_WITH)) {
            ps.setString(1, table.qualifiedName());
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new SourceUnavailableException("Cannot read the indexes of " + table.qualifiedName() + ": " + e.getMessage(), e);
        }
    }

    private static List<SourceColumn> columns(Connection c, long oid) throws SQLException {
        List<SourceColumn> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceColumn(rs.getString("attname"), rs.getString("typname"), rs.getString("category"),
                            rs.getString("declared"), rs.getBoolean("attnotnull"), rs.getString("element")));
                }
            }
        }
        return out;
    }

    private static List<String> primaryKey(Connection c, long oid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PRIMARY_KEY)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
