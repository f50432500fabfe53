package io.pgturso.sync;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Iterator;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;

/**
 * Binds the positional {@code ?} parameters of the generated statements from a row's values, without scanning the SQL
 * for named parameters on every row, and with the setter of each value's type (the values are already SQLite's:
 * integers, reals, text, bytes, null), so a page of rows is bound at the driver's own speed.
 */
public class PositionalParameters extends DefaultSqlPrepareStatementStrategy {
    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object value) throws SQLException {
        if (value instanceof Iterable<?> values) {
            return values.iterator();
        }
        return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
    }

    @Override
    public void populateStatement(PreparedStatement ps, Iterator<?> values, int expectedParams) throws SQLException {
        int index = 0;
        while (values.hasNext()) {
            bind(ps, ++index, values.next());
        }
        if (index != expectedParams) {
            throw new SQLException("Number of parameters mismatch. Expected: " + expectedParams + ", was: " + index);
        }
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof Long l) {
            ps.setLong(index, l);
        } else if (value instanceof Double d) {
            ps.setDouble(index, d);
        } else if (value instanceof Integer i) {
            ps.setInt(index, i);
        } else if (value instanceof byte[] b) {
            ps.setBytes(index, b);
        } else {
            ps.setObject(index, value);
        }
    }
}
