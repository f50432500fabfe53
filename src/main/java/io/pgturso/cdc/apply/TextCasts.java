package io.pgturso.cdc.apply;

import io.pgturso.source.ColumnSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The values only Postgres can turn from text into what a page reads (arrays into JSON with their elements typed,
 * money into its locale-free decimal): gathered over one exchange and turned in one query per type, on a session of
 * the pool that reads pages, with the page's own expression ({@code ColumnKind#selectExpression}).
 */
final class TextCasts {
    private final DataSource source;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    /** The values of one type, and where each goes: its row, and its column (several columns may share the type). */
    private record Group(ColumnSpec column, List<String> texts, List<Map<String, Object>> rows, List<String> columns) {
    }

    TextCasts(DataSource source) {
        this.source = source;
    }

    /** {@code text} becomes the value of {@code column} in {@code row} at {@link #resolve()}. */
    void add(ColumnSpec column, Map<String, Object> row, String text) {
        Group group = groups.computeIfAbsent(column.declaredType() + "\u0000" + column.kind(),
                k -> new Group(column, new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        group.texts().add(text);
        group.rows().add(row);
        group.columns().add(column.source());
    }

    /** Turns every value gathered; Postgres unreachable is an outage, as for a page. */
    void resolve() throws SQLException {
        if (groups.isEmpty()) {
            return;
        }
        try (Connection c = source.getConnection()) {
            for (Group group : groups.values()) {
                ColumnSpec column = group.column();
                String value = column.kind().selectExpression("CAST(u.v AS " + column.declaredType() + ")");
                String sql = "SELECT " + value + " FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS u(v, n) ORDER BY u.n";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setArray(1, c.createArrayOf("text", group.texts().toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        for (int i = 0; i < group.rows().size(); i++) {
                            rs.next();
                            group.rows().get(i).put(group.columns().get(i), rs.getString(1));
                        }
                    }
                }
            }
        }
        groups.clear();
    }
}
