package io.pgturso.target;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.config.TargetUrl;
import io.pgturso.libsql.hrana.RequestListener;
import io.pgturso.libsql.jdbc.LibsqlDataSource;
import io.pgturso.libsql.jdbc.RequestListeners;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** A libSQL server (Turso, {@code tursodb}) over HTTP: several connections and pages at once, the driver grouping rows. */
final class ServerTarget implements TargetKind {
    private final TargetUrl url;

    ServerTarget(TargetUrl url) {
        this.url = url;
    }

    @Override
    public TargetUrl url() {
        return url;
    }

    @Override
    public int poolSize(int configured) {
        return configured;
    }

    @Override
    public int pagesInFlight(int configured) {
        return configured;
    }

    /** One row per statement: the driver sends a page's statements in a few requests itself. */
    @Override
    public int rowsPerStatement(int columns) {
        return 1;
    }

    @Override
    public Properties login(String authToken, int timeoutSeconds) {
        Properties login = new Properties();
        if (authToken != null) {
            login.setProperty("authToken", authToken);
        }
        login.setProperty("connectTimeoutMillis", Integer.toString(timeoutSeconds * 1000));
        login.setProperty("requestTimeoutMillis", Integer.toString(timeoutSeconds * 2000));
        return login;
    }

    @Override
    public String registerRequestListener(Supplier<RequestListener> listener) {
        return RequestListeners.register(listener.get());
    }

    @Override
    public HikariDataSource pool(String authToken, int poolSize, String requestListener) {
        // the sync's writes need no atomicity: a page too large for one request is committed in several
        return pool(authToken, poolSize, requestListener, "target", true);
    }

    /**
     * Two connections whose commit is one request, all or nothing, never split. The change stream's transactions are
     * idempotent too (applying one again writes the same rows and position), so an unknown outcome is sent again.
     */
    @Override
    public HikariDataSource wholeTransactions(HikariDataSource pool, String authToken, String requestListener) {
        return pool(authToken, 2, requestListener, "target-transactions", false);
    }

    private HikariDataSource pool(String authToken, int poolSize, String requestListener, String name, boolean split) {
        HikariConfig config = TargetPools.config(url, poolSize);
        config.setPoolName(name);
        // the sync's writes are guarded upserts and deletes: sending one again after an unknown outcome is safe
        config.addDataSourceProperty("retryAmbiguousWrites", "true");
        config.addDataSourceProperty("splitTransactions", Boolean.toString(split));
        // the token goes as the password, which Hikari masks in its logs; the driver takes it as the token
        if (authToken != null) {
            config.setPassword(authToken);
        }
        if (requestListener != null) {
            config.addDataSourceProperty("requestListener", requestListener);
        }
        return new HikariDataSource(config);
    }

    @Override
    public SingleDatabase single(String authToken, int timeoutSeconds, String requestListener) {
        LibsqlDataSource driver = new LibsqlDataSource();
        driver.setUrl(url.jdbcUrl());
        login(authToken, timeoutSeconds).forEach((k, v) -> driver.setProperty((String) k, (String) v));
        // as the pool's: guarded writes may be sent again, and a page too large for one request is committed in several
        driver.setProperty("retryAmbiguousWrites", "true");
        driver.setSplitTransactions(true);
        if (requestListener != null) {
            driver.setProperty("requestListener", requestListener);
        }
        return new SingleDatabase() {
            @Override
            public java.sql.Connection getConnection() throws java.sql.SQLException {
                return driver.getConnection();
            }

            @Override
            public void close() {
                // each connection is its own requests: nothing stays open
            }

            @Override
            public String toString() {
                return "Turso server " + url;
            }
        };
    }

    /** Some servers ({@code tursodb}) misread some decimal doubles: asked once. */
    @Override
    public boolean needsExactDoubles(DataSource pool) {
        return DoubleProbe.needsExactEncoding(pool);
    }

    /** Reached first: checking the tables asks the server how it reads doubles. */
    @Override
    public void checkBeforeTables(Runnable reach) {
        reach.run();
    }

    @Override
    public void checkAfterTables(Runnable reach) {
        // reached before the tables were checked
    }

    @Override
    public ReadOnlyTarget readOnly(DataSource pool) {
        return new ReadOnlyTarget("Turso server " + url, pool);
    }
}
