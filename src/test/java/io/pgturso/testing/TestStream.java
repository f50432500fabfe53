package io.pgturso.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteException;

/** One Hrana stream of the test server: its own SQLite connection, used by one request at a time. */
final class TestStream {

    /** A request the spec does not allow: the whole HTTP request fails with 400. */
    static final class ProtocolError extends Exception {
        ProtocolError(String message) {
            super(message);
        }
    }

    /** A statement failure as libsql-server reports it. */
    private record StmtError(String message, String code) {
    }

    private static final Duration BUSY_POLL = Duration.ofMillis(2);

    private final LibsqlTestServer server;
    private final long id;
    private final SQLiteConnection sqlite;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, String> storedSql = new HashMap<>();
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long transactionSinceNanos;
    private volatile boolean transactionStolen;
    private volatile boolean closed;
    private long batonSeq;

    TestStream(LibsqlTestServer server, long id, SQLiteConnection sqlite) {
        this.server = server;
        this.id = id;
        this.sqlite = sqlite;
        try {
            BusyHandler.setHandler(sqlite, new LockWait());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the busy handler", e);
        }
    }

    /**
     * Waits for another stream's write lock inside SQLite's own step, as libsql-server's busy handler does: the
     * statement is not prepared again, and a transaction held past the timeout is rolled back for the waiter.
     */
    private final class LockWait extends BusyHandler {
        private long since;

        @Override
        protected int callback(int attempts) {
            long now = System.nanoTime();
            if (attempts == 0) {
                since = now;
            }
            if (transactionStolen || waitedTooLong(since)) {
                return 0;
            }
            stealExpiredTransactions();
            server.awaitWriteLock(BUSY_POLL);
            return 1;
        }
    }

    /** A new SQLite connection to the server's file, in WAL mode; a stream's busy handler does the waiting. */
    static SQLiteConnection open(Path databaseFile) {
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setBusyTimeout(0);
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile, config.toProperties());
            return connection.unwrap(SQLiteConnection.class);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + databaseFile, e);
        }
    }

    long id() {
        return id;
    }

    static long streamOf(String baton) {
        try {
            return Long.parseLong(baton.substring(0, baton.indexOf('.')));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Received an invalid baton");
        }
    }

    void acquire(String baton, String secret) {
        if (!lock.tryLock()) {
            throw new IllegalArgumentException("Received a baton that is already in use");
        }
        if (baton != null && !baton.equals(id + "." + batonSeq + "." + secret.hashCode())) {
            lock.unlock();
            throw new IllegalArgumentException("Received a baton that has already been used");
        }
        lastUsedNanos = System.nanoTime();
    }

    void release() {
        lastUsedNanos = System.nanoTime();
        lock.unlock();
    }

    String nextBaton(String secret) {
        batonSeq++;
        return id + "." + batonSeq + "." + secret.hashCode();
    }

    Duration idleSince(long nowNanos) {
        return Duration.ofNanos(nowNanos - lastUsedNanos);
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the stream if no request is using it; an open transaction is rolled back. */
    boolean tryExpire() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            close();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream: an open transaction is rolled back and the SQLite connection goes back to the server. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!isAutocommit()) {
            try (Statement statement = sqlite.createStatement()) {
                statement.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // ended meanwhile
            }
        }
        transactionSinceNanos = 0;
        server.writeLockMayBeFree();
        server.release(sqlite);
    }

    /** Runs one stream request and returns its stream result. */
    ObjectNode run(JsonNode request, boolean v3) throws ProtocolError {
        ObjectNode result = LibsqlTestServer.JSON.createObjectNode();
        String type = request.path("type").asText();
        if (closed) {
            return error(result, new StmtError("The stream has been closed", "STREAM_CLOSED"));
        }
        ObjectNode response = LibsqlTestServer.JSON.createObjectNode().put("type", type);
        switch (type) {
            case "close" -> close();
            case "execute" -> {
                Object outcome = execute(request.path("stmt"));
                if (outcome instanceof StmtError error) {
                    return error(result, error);
                }
                response.set("result", (JsonNode) outcome);
            }
            case "batch" -> response.set("result", batch(request.path("batch"), v3));
            case "sequence" -> {
                StmtError error = sequence(request);
                if (error != null) {
                    return error(result, error);
                }
            }
            case "store_sql" -> storedSql.put(request.path("sql_id").asInt(), request.path("sql").asText());
            case "close_sql" -> storedSql.remove(request.path("sql_id").asInt());
            case "get_autocommit" -> {
                if (!v3) {
                    throw new ProtocolError("get_autocommit requires Hrana 3");
                }
                response.put("is_autocommit", isAutocommit());
            }
            default -> throw new ProtocolError("Unknown stream request type '" + type + "'");
        }
        return result.put("type", "ok").set("response", response);
    }

    private static ObjectNode error(ObjectNode result, StmtError error) {
        result.put("type", "error").putObject("error").put("message", error.message()).put("code", error.code());
        return result;
    }

    private ObjectNode batch(JsonNode batch, boolean v3) throws ProtocolError {
        ArrayNode steps = (ArrayNode) batch.path("steps");
        ObjectNode result = LibsqlTestServer.JSON.createObjectNode();
        ArrayNode stepResults = result.putArray("step_results");
        ArrayNode stepErrors = result.putArray("step_errors");
        Boolean[] ok = new Boolean[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            JsonNode condition = steps.get(i).get("condition");
            if (condition != null && !condition.isNull()) {
                check(condition, i, v3);
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            JsonNode condition = steps.get(i).get("condition");
            if (condition != null && !condition.isNull() && !holds(condition, ok)) {
                stepResults.addNull();
                stepErrors.addNull();
                continue;
            }
            Object outcome = execute(steps.get(i).path("stmt"));
            if (outcome instanceof StmtError error) {
                ok[i] = false;
                stepResults.addNull();
                stepErrors.addObject().put("message", error.message()).put("code", error.code());
            } else {
                ok[i] = true;
                stepResults.add((JsonNode) outcome);
                stepErrors.addNull();
            }
        }
        return result;
    }

    // Conditions may only name earlier steps; is_autocommit is Hrana 3 (a v2 request using it is refused).
    private static void check(JsonNode condition, int step, boolean v3) throws ProtocolError {
        switch (condition.path("type").asText()) {
            case "ok", "error" -> {
                if (condition.path("step").asInt(-1) < 0 || condition.path("step").asInt() >= step) {
                    throw new ProtocolError("Batch condition refers to an invalid step");
                }
            }
            case "not" -> check(condition.path("cond"), step, v3);
            case "and", "or" -> {
                for (JsonNode inner : condition.path("conds")) {
                    check(inner, step, v3);
                }
            }
            case "is_autocommit" -> {
                if (!v3) {
                    throw new ProtocolError("BatchCond of type `is_autocommit` is not supported before Hrana 3");
                }
            }
            default -> throw new ProtocolError("Unknown batch condition type");
        }
    }

    private boolean holds(JsonNode condition, Boolean[] ok) {
        return switch (condition.path("type").asText()) {
            case "ok" -> Boolean.TRUE.equals(ok[condition.path("step").asInt()]);
            case "error" -> Boolean.FALSE.equals(ok[condition.path("step").asInt()]);
            case "not" -> !holds(condition.path("cond"), ok);
            case "and" -> {
                boolean all = true;
                for (JsonNode inner : condition.path("conds")) {
                    all &= holds(inner, ok);
                }
                yield all;
            }
            case "or" -> {
                boolean any = false;
                for (JsonNode inner : condition.path("conds")) {
                    any |= holds(inner, ok);
                }
                yield any;
            }
            default -> isAutocommit();
        };
    }

    /** SQLite's autocommit flag, which sqlite-jdbc does not expose: BEGIN succeeds only outside a transaction. */
    private boolean isAutocommit() {
        try (Statement statement = sqlite.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("ROLLBACK");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private StmtError sequence(JsonNode request) {
        String sql = request.hasNonNull("sql_id") ? storedSql.get(request.path("sql_id").asInt())
                : request.path("sql").asText();
        try (Statement statement = sqlite.createStatement()) {
            statement.executeUpdate(sql);
            return null;
        } catch (SQLException e) {
            return errorOf(e);
        }
    }

    /** A statement result node, or a {@link StmtError}. */
    private Object execute(JsonNode stmt) {
        if (transactionStolen) {
            transactionStolen = false;
            transactionSinceNanos = 0;
            return new StmtError("Transaction timed-out", "TRANSACTION_TIMEOUT");
        }
        String sql = stmt.hasNonNull("sql_id") ? storedSql.get(stmt.path("sql_id").asInt()) : stmt.path("sql").asText();
        if (sql == null) {
            return new StmtError("SQL text not found", "SQL_NOT_FOUND");
        }
        if (stmt.path("named_args").size() > 0) {
            return new StmtError("named arguments are not supported by this test server", "ARGS_INVALID");
        }
        long started = System.nanoTime();
        while (true) {
            try {
                return run(sql, stmt);
            } catch (SQLException e) {
                if (transactionStolen) {
                    transactionStolen = false;
                    transactionSinceNanos = 0;
                    return new StmtError("Transaction timed-out", "TRANSACTION_TIMEOUT");
                }
                if (!isBusy(e)) {
                    return errorOf(e);
                }
                if (waitedTooLong(started)) {
                    return new StmtError("Transaction timed-out while waiting for the lock", "TRANSACTION_BUSY");
                }
                stealExpiredTransactions();
                LibsqlTestServer.sleep(BUSY_POLL);
            }
        }
    }

    private ObjectNode run(String sql, JsonNode stmt) throws SQLException {
        long changesBefore = sqlite.getDatabase().total_changes();
        try (PreparedStatement statement = sqlite.prepareStatement(sql)) {
            Object[] args = PipelineJson.args(stmt);
            for (int i = 0; i < args.length; i++) {
                bind(statement, i + 1, args[i]);
            }
            ObjectNode result = LibsqlTestServer.JSON.createObjectNode();
            ArrayNode cols = result.putArray("cols");
            ArrayNode rows = result.putArray("rows");
            boolean wantRows = !stmt.has("want_rows") || stmt.path("want_rows").asBoolean(true);
            long rowsRead = 0;
            if (statement.execute()) {
                try (ResultSet resultSet = statement.getResultSet()) {
                    ResultSetMetaData meta = resultSet.getMetaData();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        String declared = meta.getColumnTypeName(c);
                        ObjectNode col = cols.addObject().put("name", meta.getColumnLabel(c));
                        if (declared == null || declared.isEmpty() || "NULL".equals(declared)) {
                            col.putNull("decltype");
                        } else {
                            col.put("decltype", declared);
                        }
                    }
                    long bytes = 0;
                    while (resultSet.next()) {
                        rowsRead++;
                        ArrayNode row = wantRows ? rows.addArray() : LibsqlTestServer.JSON.createArrayNode();
                        for (int c = 1; c <= meta.getColumnCount(); c++) {
                            bytes += value(row.addObject(), resultSet.getObject(c), server.infinityTokens());
                        }
                        if (bytes > server.maxResponseBytes()) {
                            throw new ResponseTooLarge();
                        }
                    }
                }
            }
            long changed = sqlite.getDatabase().total_changes() - changesBefore;
            trackTransaction(sql);
            if (transactionSinceNanos == 0) {
                server.writeLockMayBeFree();
            }
            result.put("affected_row_count", changed > 0 ? sqlite.getDatabase().changes() : 0);
            if (changed > 0) {
                result.put("last_insert_rowid", Long.toString(lastInsertRowid()));
            } else {
                result.putNull("last_insert_rowid");
            }
            result.put("rows_read", rowsRead);
            result.put("rows_written", Math.max(changed, 0));
            return result;
        }
    }

    private long lastInsertRowid() throws SQLException {
        try (Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery("SELECT last_insert_rowid()")) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    private void trackTransaction(String sql) {
        // only the first words matter: a bulk INSERT's text is tens of kilobytes
        String head = sql.stripLeading();
        head = head.substring(0, Math.min(head.length(), 64)).toUpperCase(Locale.ROOT);
        if (head.startsWith("BEGIN")) {
            transactionSinceNanos = System.nanoTime();
        } else if (head.startsWith("COMMIT") || head.startsWith("END") || head.startsWith("ROLLBACK")
                && !head.contains(" TO ")) {
            transactionSinceNanos = 0;
        }
    }

    /** libsql-server rolls back a transaction held past the timeout while another writer waits for the lock. */
    private void stealExpiredTransactions() {
        long now = System.nanoTime();
        for (TestStream other : server.streams()) {
            long since = other.transactionSinceNanos;
            if (other == this || since == 0
                    || Duration.ofNanos(now - since).compareTo(server.transactionTimeout()) <= 0) {
                continue;
            }
            other.transactionStolen = true;
            other.transactionSinceNanos = 0;
            if (other.lock.tryLock()) {
                try (Statement statement = other.sqlite.createStatement()) {
                    statement.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // the transaction already ended
                } finally {
                    other.lock.unlock();
                }
            } else {
                try {
                    other.sqlite.getDatabase().interrupt();
                } catch (SQLException ignored) {
                    // nothing running any more
                }
            }
        }
    }

    /** Whether a wait for the write lock that began at {@code startedNanos} has passed twice the transaction window. */
    private boolean waitedTooLong(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).compareTo(server.transactionTimeout().multipliedBy(2)) > 0;
    }

    private static boolean isBusy(SQLException e) {
        return e instanceof SQLiteException sqlite && (sqlite.getResultCode().code & 0xff) == 5;
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof Long integer) {
            statement.setLong(index, integer);
        } else if (value instanceof Double real) {
            statement.setDouble(index, real);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof byte[] blob) {
            statement.setBytes(index, blob);
        } else {
            statement.setNull(index, java.sql.Types.NULL);
        }
    }

    /**
     * Writes a value as libsql-server does (±Infinity as a float with a null value), or with {@code infinityTokens} as
     * libSQL's Python test server does (the value itself, written as {@code Infinity}); returns its size estimate.
     */
    private static long value(ObjectNode node, Object value, boolean infinityTokens) {
        if (value == null) {
            node.put("type", "null");
            return 8;
        }
        if (value instanceof Integer || value instanceof Long) {
            node.put("type", "integer").put("value", value.toString());
            return 8;
        }
        if (value instanceof Double real) {
            node.put("type", "float");
            if (real.isNaN() || real.isInfinite() && !infinityTokens) {
                node.putNull("value");
            } else {
                node.put("value", real);
            }
            return 8;
        }
        if (value instanceof byte[] blob) {
            node.put("type", "blob").put("base64", Base64.getEncoder().withoutPadding().encodeToString(blob));
            return blob.length;
        }
        String text = value.toString();
        node.put("type", "text").put("value", text);
        return text.length();
    }

    /** The code libsql-server gives an SQLite error: the primary result code's name, parse errors apart. */
    private static StmtError errorOf(SQLException e) {
        if (e instanceof ResponseTooLarge) {
            return new StmtError("Response is too large", "RESPONSE_TOO_LARGE");
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        int primary = e instanceof SQLiteException sqlite ? sqlite.getResultCode().code & 0xff : 1;
        String code = switch (primary) {
            case 1 -> message.contains("syntax error") || message.contains("incomplete input") ? "SQL_PARSE_ERROR"
                    : "SQLITE_UNKNOWN";
            case 5 -> "SQLITE_BUSY";
            case 6 -> "SQLITE_LOCKED";
            case 8 -> "SQLITE_READONLY";
            case 9 -> "SQLITE_INTERRUPT";
            case 10 -> "SQLITE_IOERR";
            case 13 -> "SQLITE_FULL";
            case 18 -> "SQLITE_TOOBIG";
            case 19 -> "SQLITE_CONSTRAINT";
            case 20 -> "SQLITE_MISMATCH";
            case 21 -> "SQLITE_MISUSE";
            case 25 -> "SQLITE_RANGE";
            default -> "SQLITE_UNKNOWN";
        };
        // sqlite-jdbc prefixes "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (...)"; keep SQLite's own text
        String text = message.replaceFirst("^\\[[A-Z_]+\\]\\s*", "");
        int detail = text.indexOf(" (");
        if (detail >= 0 && text.endsWith(")")) {
            text = text.substring(detail + 2, text.length() - 1);
        }
        return new StmtError("SQLite error: " + text, code);
    }

    private static final class ResponseTooLarge extends SQLException {
        ResponseTooLarge() {
            super("Response is too large");
        }
    }
}
