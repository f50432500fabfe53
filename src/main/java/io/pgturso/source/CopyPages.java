package io.pgturso.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads a page with Postgres' binary {@code COPY (query) TO STDOUT}: Postgres sends each page as one stream, decoded
 * here without the driver's per-value work, into the same maps, with the same Java values, as a read through the driver
 * ({@link SourceRowMapper}). Used only for queries it can run exactly: parameters written in as literals, every result
 * column of a type it decodes; {@link #read} answers null for any other, which is then read through the driver.
 */
public final class CopyPages {
    private final DataSource source;

    public CopyPages(DataSource source) {
        this.source = source;
    }

    /** Whether this thread reads inside a pinned session (a snapshot): only this thread may use it ({@link PinnedReads}). */
    public boolean pinned() {
        return source instanceof PinnedReads p && p.pinned();
    }

    /** A source connection, taken on the calling thread (a pinned session stays its thread's). */
    public Connection connection() throws SQLException {
        return source.getConnection();
    }

    /**
     * The page's rows, read on {@code connection} (closed after), or null when COPY cannot run this query: the page is
     * then read through the driver. {@code columns}: the result columns Postgres described for the pass so far.
     */
    public List<Map<String, Object>> read(Connection connection, String sql, List<Object> parameters, Described columns)
            throws SQLException {
        try (connection) {
            String copyable = inline(sql, parameters);
            if (copyable == null) {
                return null;
            }
            Optional<BinaryCopyRows.Columns> result = columns.bySql.get(sql);
            if (result == null) {
                result = describe(connection, copyable);
                columns.bySql.put(sql, result);
            }
            if (result.isEmpty()) {
                return null;
            }
            CopyOut out = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (" + copyable + ") TO STDOUT (FORMAT binary)");
            BinaryCopyRows rows = new BinaryCopyRows(result.get());
            try {
                byte[] chunk;
                while ((chunk = out.readFromCopy()) != null) {
                    rows.add(chunk);
                }
            } finally {
                if (out.isActive()) {
                    // a failed read leaves no COPY running on the connection the pool takes back
                    out.cancelCopy();
                }
            }
            return rows.rows();
        }
    }

    /** Whether COPY can run {@code sql} (a page query, with these parameters), as far as known before a connection is taken. */
    public boolean copyable(String sql, List<Object> parameters, Described columns) {
        Optional<BinaryCopyRows.Columns> known = columns.bySql.get(sql);
        return (known == null || known.isPresent()) && inline(sql, parameters) != null;
    }

    /** The labels and types of the query's result columns (Postgres describes it), or empty when one is of a type not decoded. */
    private static Optional<BinaryCopyRows.Columns> describe(Connection connection, String sql) throws SQLException {
        // run with no row rather than described by a prepared statement: the driver keeps a prepared statement's
        // description, which a column retyped since would make stale
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM (" + sql + ") AS page LIMIT 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            String[] labels = new String[n];
            String[] types = new String[n];
            for (int i = 0; i < n; i++) {
                labels[i] = meta.getColumnLabel(i + 1);
                types[i] = meta.getColumnTypeName(i + 1);
            }
            return Optional.ofNullable(BinaryCopyRows.Columns.of(labels, types));
        }
    }

    /**
     * The query with its {@code ?} parameters written in as literals (COPY takes none), or null when it cannot be done
     * exactly: a {@code ?} of the table's own SQL (in a where, expression or name) would be taken for a parameter.
     */
    static String inline(String sql, List<Object> parameters) {
        int marks = 0;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '?') {
                marks++;
            }
        }
        if (marks != parameters.size()) {
            return null;
        }
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int p = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c != '?') {
                out.append(c);
                continue;
            }
            Object value = parameters.get(p++);
            if (value instanceof Integer || value instanceof Long) {
                out.append(value);
            } else if (value instanceof String s && s.indexOf('\0') < 0) {
                // an escape string literal reads the same whatever standard_conforming_strings is
                out.append("E'").append(s.replace("\\", "\\\\").replace("'", "''")).append('\'');
            } else {
                return null;
            }
        }
        return out.toString();
    }

    /**
     * The result columns of a pass's page queries (by their text with {@code ?}), described by Postgres once per pass:
     * a column retyped since (the pass after a schema change) is described anew, never decoded as its old type.
     */
    public static final class Described {
        private final Map<String, Optional<BinaryCopyRows.Columns>> bySql = new ConcurrentHashMap<>();
    }

    /** A row of the given columns as a read through the driver gives it: an array behind a map, or a plain map when labels repeat. */
    static Map<String, Object> row(SourceRow.Labels labels, String[] names, Object[] values) {
        if (labels != null) {
            return new SourceRow(labels, values);
        }
        Map<String, Object> row = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            row.put(names[i], values[i]);
        }
        return row;
    }
}
