package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Column;
import io.pgturso.libsql.hrana.StatementResult;
import io.pgturso.libsql.hrana.Value;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A statement: each execution is one HTTP request; {@link #executeBatch()} sends a batch as few transactions. */
public class LibsqlStatement extends StatementBase {

    final LibsqlConnection connection;
    private List<BoundStatement> batch = new ArrayList<>();
    private LibsqlResultSet resultSet;
    private long updateCount = -1;
    private Long lastInsertRowid;
    private boolean closed;

    LibsqlStatement(LibsqlConnection connection) {
        this.connection = connection;
    }

    @Override
    void checkOpen() throws SQLException {
        if (closed) {
            throw connection.closedAfterOutage() ? SqlErrors.closedAfterOutage("Statement")
                    : SqlErrors.closed("Statement");
        }
        connection.checkOpen();
    }

    /** Runs one statement now, or buffers it when a transaction is open and it writes. True when rows came back. */
    boolean run(ParsedSql parsed, List<Value> args) throws SQLException {
        checkOpen();
        closeResultSet();
        updateCount = -1;
        lastInsertRowid = null;
        if (parsed.opensTransaction()) {
            throw SqlErrors.unsupported("Transaction statements (" + SqlLexer.firstWord(SqlLexer.tokens(parsed.sql()))
                    + ") are not accepted: use Connection.setAutoCommit(false), commit() and rollback(); "
                    + "transaction control by SQL text");
        }
        if (connection.inTransaction() && parsed.kind() != ParsedSql.Kind.QUERY) {
            if (parsed.producesRows()) {
                throw SqlErrors.unsupported("RETURNING inside a transaction (its writes are sent at commit);"
                        + " a write returning rows");
            }
            connection.buffer(List.of(new BoundStatement(parsed, args)));
            updateCount = SUCCESS_NO_INFO;
            return false;
        }
        StatementRunner.Execution execution = new StatementRunner(connection).run(parsed, args, timeout());
        StatementResult result = execution.result();
        if (!result.cols().isEmpty() || parsed.producesRows()) {
            List<List<Value>> rows = result.rows();
            if (maxRowsLimit() > 0 && rows.size() > maxRowsLimit()) {
                rows = rows.subList(0, (int) maxRowsLimit());
            }
            resultSet = new LibsqlResultSet(this, result.cols(), rows);
            return true;
        }
        updateCount = execution.updateCount();
        lastInsertRowid = execution.lastInsertRowid();
        return false;
    }

    /** Sends or buffers the batch entries and returns one count per entry. */
    int[] runBatch(List<BoundStatement> entries) throws SQLException {
        checkOpen();
        closeResultSet();
        updateCount = -1;
        for (BoundStatement entry : entries) {
            if (entry.parsed().opensTransaction() || entry.parsed().producesRows()
                    && entry.parsed().kind() == ParsedSql.Kind.QUERY) {
                throw new java.sql.BatchUpdateException("a batch takes writes only, not: " + entry.parsed().sql(),
                        "0A000", 0, new int[0], null);
            }
        }
        if (entries.isEmpty()) {
            return new int[0];
        }
        if (connection.inTransaction()) {
            connection.buffer(entries);
            int[] counts = new int[entries.size()];
            Arrays.fill(counts, SUCCESS_NO_INFO);
            return counts;
        }
        return new BatchRunner(connection, timeout()).run(entries, connection.planner());
    }

    private void closeResultSet() {
        if (resultSet != null) {
            resultSet.closeQuietly();
            resultSet = null;
        }
    }

    /** The result set closed itself: with closeOnCompletion this statement closes too. */
    void resultSetClosed(LibsqlResultSet closedResultSet) {
        if (closedResultSet == resultSet) {
            resultSet = null;
        }
        if (closesOnCompletion()) {
            close();
        }
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        if (!run(ParsedSql.of(sql), List.of())) {
            throw new SQLException("the statement returned no rows; use executeUpdate or execute", "02000");
        }
        return resultSet;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) executeLargeUpdate(sql);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        if (run(ParsedSql.of(sql), List.of())) {
            throw new SQLException("the statement returned rows; use executeQuery or execute", "0100D");
        }
        return updateCount;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return run(ParsedSql.of(sql), List.of());
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return execute(sql);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return execute(sql);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return execute(sql);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return executeUpdate(sql);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return executeUpdate(sql);
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return executeUpdate(sql);
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        batch.add(new BoundStatement(ParsedSql.of(sql), List.of()));
    }

    void addBatchEntry(BoundStatement entry) throws SQLException {
        checkOpen();
        batch.add(entry);
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
    }

    /**
     * Sends the batch as one transaction per request (see {@link LibsqlProperty#MAX_ROWS_PER_REQUEST}); a failure
     * throws a {@link java.sql.BatchUpdateException} whose counts mark each failed statement with EXECUTE_FAILED.
     */
    @Override
    public int[] executeBatch() throws SQLException {
        List<BoundStatement> entries = Collections.unmodifiableList(batch); // handed over, not copied: a page's rows
        batch = new ArrayList<>();
        return runBatch(entries);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return Arrays.stream(executeBatch()).asLongStream().toArray();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return resultSet;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return (int) Math.min(getLargeUpdateCount(), Integer.MAX_VALUE);
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return getMoreResults(CLOSE_CURRENT_RESULT);
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        closeResultSet();
        updateCount = -1;
        return false;
    }

    /** The rowid of the last row inserted by the last write, as a one-column result (empty when none). */
    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        List<List<Value>> rows = lastInsertRowid == null ? List.of() : List.of(List.of(Value.of(lastInsertRowid)));
        return new LibsqlResultSet(this, List.of(new Column("last_insert_rowid", "INTEGER")), rows);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeResultSet();
        batch.clear();
        connection.forget(this);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }
}
