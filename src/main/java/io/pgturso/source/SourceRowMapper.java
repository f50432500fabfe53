package io.pgturso.source;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.component.sql.DefaultRowMapperFactory;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads each Postgres row into a map keyed by the exact column label: case-sensitive (so columns {@code "Id"} and
 * {@code id} stay apart) and cheaper than the default case-insensitive map, on the per-row path: an array of the row's
 * values with the page's labels shared ({@link SourceRow}).
 */
public class SourceRowMapper extends DefaultRowMapperFactory {
    @Override
    public RowMapper<?> newColumnRowMapper() {
        return new RowMapper<Map<String, Object>>() {
            private String[] labels;
            private SourceRow.Labels distinct;

            @Override
            public Map<String, Object> mapRow(ResultSet rs, int rowNum) throws SQLException {
                if (labels == null) {
                    ResultSetMetaData meta = rs.getMetaData();
                    labels = new String[meta.getColumnCount()];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = meta.getColumnLabel(i + 1);
                    }
                    distinct = SourceRow.Labels.of(labels);
                }
                if (distinct != null) {
                    Object[] values = new Object[labels.length];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rs.getObject(i + 1);
                    }
                    return new SourceRow(distinct, values);
                }
                Map<String, Object> row = new HashMap<>(labels.length * 2);
                for (int i = 0; i < labels.length; i++) {
                    row.put(labels[i], rs.getObject(i + 1));
                }
                return row;
            }
        };
    }
}
