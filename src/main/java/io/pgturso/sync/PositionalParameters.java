package io.pgturso.sync;

import java.sql.SQLException;
import java.util.Iterator;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;

/** Binds the positional {@code ?} parameters of the generated statements from a row's values, without scanning the SQL for named parameters on every row. */
public class PositionalParameters extends DefaultSqlPrepareStatementStrategy {
    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object value) throws SQLException {
        if (value instanceof Iterable<?> values) {
            return values.iterator();
        }
        return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
    }
}
