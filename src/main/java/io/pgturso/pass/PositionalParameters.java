package io.pgturso.pass;

import io.pgturso.route.RouteNames;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Iterator;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;

/**
 * Runs the statement a bean step put in the exchange variable {@link RouteNames#STATEMENT} (the text after
 * {@code source-sql:} or {@code target-sql:} only names the step), binding its positional {@code ?} parameters from the
 * body's values with the setter of each value's type (the values are already SQLite's: integers, reals, text, bytes,
 * null), without scanning the SQL for named parameters on every row. Not taking the SQL from the {@code CamelSqlQuery}
 * header keeps the routes working when camel-sql stops reading it (Camel 4.23, CAMEL-24292). The count of values is
 * checked by the driver (Postgres, sqlite-jdbc and the libSQL driver each refuse a statement with a value missing or one
 * too many), not against the endpoint's {@code parametersCount}: a Postgres read sets that to skip camel-sql's question
 * to the server ({@link StepSqlComponent}).
 */
public class PositionalParameters extends DefaultSqlPrepareStatementStrategy {
    /** Sets the SQL the next {@code source-sql:} or {@code target-sql:} step of this exchange runs. */
    public static void use(Exchange exchange, String sql) {
        exchange.setVariable(RouteNames.STATEMENT, sql);
    }

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        String statement = exchange.getVariable(RouteNames.STATEMENT, String.class);
        if (statement == null) {
            throw new IllegalStateException("The step " + query + " has no statement: the bean step before it sets one "
                    + "(exchange variable " + RouteNames.STATEMENT + ")");
        }
        return super.prepareQuery(statement, allowNamedParameters, exchange);
    }

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
    }

    /** Binds one value of the target's kinds (integer, real, text, bytes, null) with the setter of its type. */
    public static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
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
