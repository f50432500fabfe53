package io.pgturso.pass;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.Endpoint;
import org.apache.camel.component.sql.RowMapperFactory;
import org.apache.camel.component.sql.SqlComponent;

/**
 * camel-sql preset for one database ({@code source-sql:}, {@code target-sql:}), so that a route's step states only what
 * differs ({@code batch: true}). The text after the scheme names the step; the statement is the one its bean step set
 * ({@link PositionalParameters}), bound by position, never scanned for named parameters.
 */
public class StepSqlComponent extends SqlComponent {
    /** A step's name: plain words, so that it cannot be taken for SQL. */
    private static final Pattern STEP_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final boolean readsSource;
    /** For {@code tenant-sql:}: the database of each step, named by its {@code database} option (null: one database). */
    private final Function<String, DataSource> databases;

    private StepSqlComponent(DataSource database, RowMapperFactory rows, boolean readsSource) {
        this(database, rows, readsSource, null);
    }

    private StepSqlComponent(DataSource database, RowMapperFactory rows, boolean readsSource, Function<String, DataSource> databases) {
        this.readsSource = readsSource;
        this.databases = databases;
        setDataSource(database);
        setUsePlaceholder(false);
        setBatchAutoCommitDisabled(true);
        if (rows != null) {
            setRowMapperFactory(rows);
        }
    }

    /** Reads Postgres: rows mapped by {@code rows}; the values the bean step lists are bound without asking Postgres first. */
    public static StepSqlComponent source(DataSource source, RowMapperFactory rows) {
        return new StepSqlComponent(source, rows, true);
    }

    /** Writes the target (a batch commits once, not per statement). */
    public static StepSqlComponent target(DataSource target) {
        return new StepSqlComponent(target, null, false);
    }

    /**
     * Writes one of many databases (a tenant's), named by the step's {@code database} option: a route routes each
     * part of a page to its tenant with {@code toD: tenant-sql:upsert-rows?database=${variable.database}}.
     */
    public static StepSqlComponent tenants(Function<String, DataSource> databases) {
        return new StepSqlComponent(null, null, false, databases);
    }

    /** The same preset, for another Camel context (the reload's check of the route files). */
    public StepSqlComponent copy() {
        return new StepSqlComponent(getDataSource(), getRowMapperFactory(), readsSource, databases);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!STEP_NAME.matcher(remaining).matches()) {
            throw new IllegalArgumentException(uri + ": the text after the scheme names the step, in lower-case words joined "
                    + "by '-' (e.g. upsert-rows); the statement is the one the bean step before it sets");
        }
        if (databases != null) {
            Object database = parameters.remove("database");
            if (database == null || database.toString().isBlank()) {
                throw new IllegalArgumentException(uri + ": name the tenant's database with the option database=NAME");
            }
            parameters.put("dataSource", databases.apply(database.toString()));
        }
        parameters.putIfAbsent("allowNamedParameters", false);
        parameters.putIfAbsent("prepareStatementStrategy", new PositionalParameters());
        if (readsSource) {
            // any count above 0 skips camel-sql's question to Postgres of how many values the statement takes: a round trip
            // per page, after which Postgres would plan every page anew; Postgres itself refuses a missing or extra value
            parameters.putIfAbsent("parametersCount", 1);
        }
        return super.createEndpoint(uri, remaining, parameters);
    }
}
