package io.pgturso.verify;

import io.pgturso.source.ColumnSpec;
import io.pgturso.source.SourceSession;
import io.pgturso.source.TableSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads a Postgres table in key order and maps every value exactly as the sync writes it ({@code ColumnKind}'s select
 * expression, then {@code toTarget}). Holds one connection, in autocommit: no long transaction pins the database.
 */
public final class SourceReader implements RowReader, AutoCloseable {
    /** Keys per exact lookup statement, well below Postgres' 65535 bound parameters. */
    private static final int LOOKUP_GROUP = 500;

    private final TableSpec spec;
    private final List<ColumnSpec> columns;
    private final Connection connection;

    private SourceReader(TableSpec spec, List<ColumnSpec> columns, Connection connection) {
        this.spec = spec;
        this.columns = columns;
        this.connection = connection;
    }

    /** Opens a reader of all synced columns ({@code keysOnly} false) or of the key columns only. */
    public static SourceReader open(TableSpec spec, DataSource source, boolean keysOnly) throws SQLException {
        Connection c = source.getConnection();
        try (Statement s = c.createStatement()) {
            // the sync's session settings, so text output of dates, times and floats is the same here
            s.execute(SourceSession.SETTINGS);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new SourceReader(spec, keysOnly ? spec.key() : spec.columns(), c);
    }

    @Override
    public List<ComparedRow> read(ComparedKey after, int limit) throws SQLException {
        return readRange(after, null, limit);
    }

    /** Up to {@code limit} rows with key in ({@code after}, {@code through}]; a null bound is open. */
    public List<ComparedRow> readRange(ComparedKey after, ComparedKey through, int limit) throws SQLException {
        String sql = ChunkSql.sourceRows(spec, columns, after != null, through != null);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                i = ChunkSql.bind(ps, i, after.values());
            }
            if (through != null) {
                i = ChunkSql.bind(ps, i, through.values());
            }
            ps.setInt(i, limit);
            return rows(ps);
        }
    }

    /** Those of {@code keys} that exist in Postgres (and are not marked deleted), by exact lookup. */
    public Set<ComparedKey> existing(Collection<ComparedKey> keys) throws SQLException {
        Set<ComparedKey> found = new HashSet<>();
        List<ComparedKey> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += LOOKUP_GROUP) {
            List<ComparedKey> group = all.subList(from, Math.min(all.size(), from + LOOKUP_GROUP));
            try (PreparedStatement ps = connection.prepareStatement(ChunkSql.sourceKeysIn(spec, group.size()))) {
                int i = 1;
                for (ComparedKey k : group) {
                    i = ChunkSql.bind(ps, i, k.values());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(keyOf(mapped(rs, spec.key())));
                    }
                }
            }
        }
        return found;
    }

    private List<ComparedRow> rows(PreparedStatement ps) throws SQLException {
        List<ComparedRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<Object> values = mapped(rs, columns);
                List<Object> key = new ArrayList<>(spec.key().size());
                for (ColumnSpec k : spec.key()) {
                    key.add(values.get(columns.indexOf(k)));
                }
                out.add(new ComparedRow(keyOf(key), values));
            }
        }
        return out;
    }

    private static List<Object> mapped(ResultSet rs, List<ColumnSpec> columns) throws SQLException {
        List<Object> values = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            Object raw = rs.getObject(i + 1);
            try {
                values.add(Values.normalise(c.kind(), c.kind().toTarget(raw)));
            } catch (RuntimeException e) {
                values.add(new Unmappable(c.source() + ": " + e.getMessage()));
            }
        }
        return values;
    }

    private ComparedKey keyOf(List<Object> values) {
        for (Object v : values) {
            if (v instanceof Unmappable u) {
                throw new IllegalStateException("A key in Postgres cannot be stored in the target (" + u.reason() + ")");
            }
        }
        return new ComparedKey(values);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
