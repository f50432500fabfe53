package io.pgturso.verify;

import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads the target rows of one key range in key order, a part at a time, as the comparison reads them (normalised
 * values, see {@link Values}). A server refusing a response as too large is asked for half as many rows.
 */
public final class TargetRange {
    /** SQLState of a response over the server's cap, as the libSQL driver reports it. */
    private static final String RESPONSE_TOO_LARGE = "54000";

    private final TableSpec spec;
    private final List<ColumnSpec> columns;
    private final DataSource target;
    private final ComparedKey upper;
    private ComparedKey lower;
    private boolean fromLower;
    private int rowsPerRead;
    private boolean done;

    /** The rows with key after {@code lower} (from it, with {@code fromLower}; null: the start) through {@code upper} (null: the end). */
    public TargetRange(TableSpec spec, List<ColumnSpec> columns, DataSource target, ComparedKey lower, boolean fromLower, ComparedKey upper, int rowsPerRead) {
        this.spec = spec;
        this.columns = columns;
        this.target = target;
        this.lower = lower;
        this.fromLower = fromLower;
        this.upper = upper;
        this.rowsPerRead = rowsPerRead;
    }

    /** The next rows of the range; empty once it is read. */
    public List<ComparedRow> next() throws SQLException {
        while (!done) {
            try {
                List<ComparedRow> rows = read(rowsPerRead);
                done = rows.size() < rowsPerRead;
                if (!rows.isEmpty()) {
                    lower = rows.get(rows.size() - 1).key();
                    fromLower = false;
                }
                return rows;
            } catch (SQLException e) {
                if (!RESPONSE_TOO_LARGE.equals(e.getSQLState()) || rowsPerRead == 1) {
                    throw e;
                }
                rowsPerRead = Math.max(1, rowsPerRead / 2);
            }
        }
        return List.of();
    }

    private List<ComparedRow> read(int limit) throws SQLException {
        List<ComparedRow> out = new ArrayList<>();
        String sql = ChunkSql.targetRange(spec, columns, lower != null, fromLower, upper != null);
        try (Connection c = target.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (lower != null) {
                i = ChunkSql.bind(ps, i, ChunkSql.rangeParameters(lower));
            }
            if (upper != null) {
                i = ChunkSql.bind(ps, i, ChunkSql.rangeParameters(upper));
            }
            ps.setInt(i, limit);
            TargetReader.readRows(ps, spec, columns, out);
        }
        return out;
    }
}
