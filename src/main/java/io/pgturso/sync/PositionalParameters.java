package io.pgturso.sync;

import java.sql.SQLException;
import java.util.Iterator;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;

/**
 * Runs the statement a bean step put in the exchange variable {@link #STATEMENT} (the {@code sql:} endpoint's own text
 * only names the step), binding its positional {@code ?} parameters from the body's values, without scanning the SQL for
 * named parameters on every row. Not taking the SQL from the {@code CamelSqlQuery} header keeps the routes working
 * when camel-sql stops reading it (Camel 4.23, CAMEL-24292).
 */
public class PositionalParameters extends DefaultSqlPrepareStatementStrategy {
    /** Exchange variable holding the SQL the next {@code sql:} step runs. */
    public static final String STATEMENT = "pgturso.statement";

    /** Sets the SQL the next {@code sql:} step of this exchange runs. */
    public static void use(Exchange exchange, String sql) {
        exchange.setVariable(STATEMENT, sql);
    }

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        String statement = exchange.getVariable(STATEMENT, String.class);
        return super.prepareQuery(statement != null ? statement : query, allowNamedParameters, exchange);
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object value) throws SQLException {
        if (value instanceof Iterable<?> values) {
            return values.iterator();
        }
        return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
    }
}
