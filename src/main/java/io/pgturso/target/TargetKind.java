package io.pgturso.target;

import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.config.TargetUrl;
import io.pgturso.libsql.hrana.RequestListener;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What differs between kinds of target (as a JDBC sink's dialect): the pool, how many pages and rows go at once, the
 * login, whether doubles need the exact encoding, and what the start-up checks do. The rest of the sync asks its
 * target's kind and never which kind it is; a new kind of target is one more implementation.
 */
public interface TargetKind {
    /** The kind of the configured target: the one place that tells the kinds apart. */
    static TargetKind of(TargetUrl url) {
        return url.isFile() ? new FileTarget(url) : new ServerTarget(url);
    }

    /** The target's URL, as configured. */
    TargetUrl url();

    /** Connections in the pool, given {@code sync.target.pool-size}. */
    int poolSize(int configured);

    /** Pages written at once, given {@code sync.target.max-in-flight}; the checkpoint still moves in page order. */
    int pagesInFlight(int configured);

    /** Rows bound to one upsert statement of a table of {@code columns} target columns (1: a statement per row). */
    int rowsPerStatement(int columns);

    /** Login properties for one connection of the driver itself; requests give up after {@code timeoutSeconds} where they can. */
    Properties login(String authToken, int timeoutSeconds);

    /**
     * Registers a listener of the driver's requests (made by {@code listener} only if this kind sends requests) and
     * returns its name for {@link #pool}, or null.
     */
    String registerRequestListener(Supplier<RequestListener> listener);

    /** The connection pool; {@code requestListener} is a name from {@link #registerRequestListener}, or null. */
    HikariDataSource pool(String authToken, int poolSize, String requestListener);

    /**
     * The connections whose transactions commit whole, however large (the change stream's: one Postgres transaction
     * is never seen in part); {@code pool} is the sync's own pool.
     */
    HikariDataSource wholeTransactions(HikariDataSource pool, String authToken, String requestListener);

    /**
     * The database alone, without a pool (one of many: a tenant's): a file is one connection lent to one user at a time,
     * created readable by its owner only on first use; a server is reached through the driver, with the pool's settings.
     */
    SingleDatabase single(String authToken, int timeoutSeconds, String requestListener);

    /** Whether REAL values must be sent as mantissa and exponent, asked once of the target through {@code pool}. */
    boolean needsExactDoubles(DataSource pool);

    /** Start-up, before the tables are checked; {@code reach} opens one connection and fails naming the settings to fix. */
    void checkBeforeTables(Runnable reach);

    /** Start-up, once every table is valid. */
    void checkAfterTables(Runnable reach);

    /** The target as {@code plan} reads it, without writing or creating anything; {@code pool} is the sync's pool. */
    ReadOnlyTarget readOnly(DataSource pool);

    /** A target to read only: how to name it, and its data, null when there is none yet. */
    record ReadOnlyTarget(String label, DataSource data) {
    }
}
