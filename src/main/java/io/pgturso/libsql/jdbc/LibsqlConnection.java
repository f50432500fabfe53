package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.HranaClient;
import java.sql.BatchUpdateException;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A connection to a libSQL server over HTTP. Every request stands alone (no server-side session is kept), so a
 * transaction ({@code setAutoCommit(false)}) is kept here: writes are buffered and sent at {@link #commit()} as one
 * {@code BEGIN ... COMMIT} request; reads inside it run at once and see only committed data.
 */
public final class LibsqlConnection extends ConnectionBase {

    private final ConnectionSettings settings;
    private final HranaClient client;
    private final AdaptiveRequestSize requestSize;
    private final Set<LibsqlStatement> statements = ConcurrentHashMap.newKeySet();
    private List<BoundStatement> pendingWrites = new ArrayList<>();
    private volatile boolean closed;
    private volatile boolean closedAfterOutage;
    private volatile boolean countsReportedByServer;
    private boolean autoCommit = true;
    private boolean readOnly;

    LibsqlConnection(ConnectionSettings settings) {
        this.settings = settings;
        this.client = new HranaClient(settings.url().serverUri(), settings.token(), settings.connectTimeout(),
                settings.requestTimeout(), settings.retryPolicy(), settings.closeStreams(), settings.listener());
        this.requestSize = new AdaptiveRequestSize(settings.maxRowsPerRequest());
    }

    HranaClient client() {
        return client;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /** How many HTTP requests this connection has sent, retries included. */
    public long requestsSent() {
        return client.requestsSent();
    }

    /** The URL this connection was opened with, any token replaced by {@code ***}. */
    public String url() {
        return settings.url().toString();
    }

    boolean countsReportedByServer() {
        return countsReportedByServer;
    }

    /** Seen a real affected_row_count: no need to ask {@code SELECT changes()} any more. */
    void serverReportsCounts() {
        countsReportedByServer = true;
    }

    /** Plans batches for this server: {@code is_autocommit} guards where the server has them, else a chain of ok. */
    BatchPlanner planner() throws SQLException {
        PlannedRequest.Guard guard;
        try {
            guard = client.protocol() == HranaClient.Protocol.V2 ? PlannedRequest.Guard.OK_CHAIN
                    : PlannedRequest.Guard.IS_AUTOCOMMIT;
        } catch (io.pgturso.libsql.hrana.HranaException e) {
            throw SqlErrors.of(e);
        }
        return new BatchPlanner(requestSize.rows(), settings.maxRequestBytes(),
                settings.maxRowsPerStatement(), settings.rewriteBatchedInserts(), settings.inlineLiterals(),
                !countsReportedByServer, guard);
    }

    /** Rows per request, adapted to how fast the server answers. */
    AdaptiveRequestSize requestSize() {
        return requestSize;
    }

    @Override
    void checkOpen() throws SQLException {
        if (closed) {
            throw closedAfterOutage ? SqlErrors.closedAfterOutage("Connection") : SqlErrors.closed("Connection");
        }
    }

    /** True when closed (by a pool, typically) right after a request failed with an outage. */
    boolean closedAfterOutage() {
        return closedAfterOutage;
    }

    /** True while a transaction is open: writes are then buffered until commit. */
    boolean inTransaction() {
        return !autoCommit;
    }

    synchronized void buffer(List<BoundStatement> writes) {
        pendingWrites.addAll(writes);
    }

    void forget(LibsqlStatement statement) {
        statements.remove(statement);
    }

    private <S extends LibsqlStatement> S track(S statement) {
        statements.add(statement);
        return statement;
    }

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return track(new LibsqlStatement(this));
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        checkResultSetKind(type, concurrency);
        return createStatement();
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        checkResultSetKind(type, concurrency);
        setHoldability(holdability);
        return createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        return track(new LibsqlPreparedStatement(this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        checkOpen();
        return track(new LibsqlPreparedStatement(this, sql));
    }

    // getGeneratedKeys() always answers the rowid of the last insert, whichever column is named.
    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        checkResultSetKind(type, concurrency);
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        checkResultSetKind(type, concurrency);
        setHoldability(holdability);
        return prepareStatement(sql);
    }

    private void checkResultSetKind(int type, int concurrency) throws SQLException {
        checkOpen();
        if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw SqlErrors.unsupported("Scrollable or updatable result sets");
        }
    }

    @Override
    public synchronized void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit && !this.autoCommit) {
            // JDBC: switching autocommit on commits the open transaction.
            commit();
        }
        this.autoCommit = autoCommit;
    }

    @Override
    public synchronized boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    /**
     * Sends the buffered writes as one transaction in one request, whatever its size (the split limits would break
     * atomicity). A failure rolls all of it back and throws a {@link BatchUpdateException} naming the failed writes.
     * With {@code splitTransactions}, the writes are sent as a batch is: in requests within the limits, each its own
     * transaction.
     */
    @Override
    public synchronized void commit() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("commit() while autocommit is on", "25000");
        }
        List<BoundStatement> writes = java.util.Collections.unmodifiableList(pendingWrites); // handed over, not copied
        pendingWrites = new ArrayList<>();
        if (!writes.isEmpty()) {
            new BatchRunner(this, null).run(writes, settings.splitTransactions() ? planner() : planner().unsplit());
        }
    }

    @Override
    public synchronized void rollback() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("rollback() while autocommit is on", "25000");
        }
        pendingWrites.clear();
    }

    /** Closing discards uncommitted writes, as a rollback would. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closedAfterOutage = client.lastExchangeFailedTransiently();
        closed = true;
        synchronized (this) {
            pendingWrites.clear();
        }
        for (LibsqlStatement statement : List.copyOf(statements)) {
            statement.close();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("abort needs an executor", "HY009");
        }
        close();
    }

    @Override
    public boolean isValid(int timeoutSeconds) throws SQLException {
        if (timeoutSeconds < 0) {
            throw new SQLException("timeout must not be negative", "HY092");
        }
        if (closed) {
            return false;
        }
        Duration timeout = timeoutSeconds == 0 ? null : Duration.ofSeconds(timeoutSeconds);
        try {
            new StatementRunner(this).run(ParsedSql.of("SELECT 1"), List.of(), timeout);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new LibsqlDatabaseMetaData(this);
    }

    /** A hint only: the server decides what may be written. */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    /** Reads inside a transaction see committed data only, so READ COMMITTED is what is offered. */
    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        if (!Arrays.asList(TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED).contains(level)) {
            throw SqlErrors.unsupported("Isolation above READ COMMITTED (reads inside a transaction do not see "
                    + "its buffered writes)");
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return TRANSACTION_READ_COMMITTED;
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return (int) Math.min(settings.requestTimeout().toMillis(), Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return "LibsqlConnection[" + settings.url() + (closed ? ", closed]" : "]");
    }
}
