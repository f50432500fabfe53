package io.pgturso.verify;

import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads a target table in key order, columns by their target names. Takes a connection per page and gives it back,
 * so a running sync sharing a one-connection pool (a local file) is never held up for long.
 */
public final class TargetReader implements RowReader {
    private final TableSpec spec;
    private final List<ColumnSpec> columns;
    private final DataSource target;
    /** SQLState of a response over the server's cap ("program limit exceeded"), as the libSQL driver reports it. */
    private static final String RESPONSE_TOO_LARGE = "54000";
    private int rowsPerRead = Integer.MAX_VALUE;

    public TargetReader(TableSpec spec, List<ColumnSpec> columns, DataSource target) {
        this.spec = spec;
        this.columns = columns;
        this.target = target;
    }

    /**
     * Reads up to {@code limit} rows after {@code after}. A server that refuses the response as too large (libsql-server
     * caps one at 10 MB) is asked for half as many rows per request, as often as needed; the size found is kept.
     */
    @Override
    public List<ComparedRow> read(ComparedKey after, int limit) throws SQLException {
        List<ComparedRow> out = new ArrayList<>();
        ComparedKey from = after;
        while (out.size() < limit) {
            int asked = Math.min(rowsPerRead, limit - out.size());
            List<ComparedRow> part;
            try {
                part = readOnce(from, asked);
            } catch (SQLException e) {
                if (!RESPONSE_TOO_LARGE.equals(e.getSQLState()) || asked == 1) {
                    throw e;
                }
                rowsPerRead = Math.max(1, asked / 2);
                continue;
            }
            out.addAll(part);
            if (part.size() < asked) {
                break;
            }
            from = part.get(part.size() - 1).key();
        }
        return out;
    }

    private List<ComparedRow> readOnce(ComparedKey after, int limit) throws SQLException {
        List<ComparedRow> out = new ArrayList<>();
        try (Connection c = target.getConnection();
                PreparedStatement ps = c.prepareStatement(ChunkSql.targetRows(spec, columns, after != null))) {
            int i = 1;
            if (after != null) {
                i = ChunkSql.bind(ps, i, after.values());
            }
            ps.setInt(i, limit);
            TargetReader.readRows(ps, spec, columns, out);
        }
        return out;
    }

    /** Reads a target query's rows (the columns in order) as compared rows, normalised as {@link Values} does. */
    static void readRows(PreparedStatement ps, TableSpec spec, List<ColumnSpec> columns, List<ComparedRow> out)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<Object> values = new ArrayList<>(columns.size());
                for (int col = 0; col < columns.size(); col++) {
                    values.add(Values.normalise(columns.get(col).kind(), rs.getObject(col + 1)));
                }
                List<Object> key = new ArrayList<>(spec.key().size());
                for (ColumnSpec k : spec.key()) {
                    key.add(values.get(columns.indexOf(k)));
                }
                out.add(new ComparedRow(new ComparedKey(key), values));
            }
        }
    }
}
