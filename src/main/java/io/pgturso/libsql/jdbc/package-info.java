/**
 * A JDBC driver for libSQL servers (Turso Cloud, {@code tursodb --sync-server}, sqld) over Hrana-over-HTTP.
 *
 * <h2>Connecting</h2>
 * URLs {@code jdbc:libsql://host} (https), {@code jdbc:libsql:https://host[:port]},
 * {@code jdbc:libsql:http://host:port}; {@code jdbc:libsql:file:} is refused (local files go through sqlite-jdbc).
 * The token comes from the {@code authToken} property or URL query parameter, else the {@code TURSO_AUTH_TOKEN}
 * environment variable, and is sent as {@code Authorization: Bearer}; it never appears in messages or
 * {@code toString()}. Other properties: {@link io.pgturso.libsql.jdbc.LibsqlProperty}. Or use
 * {@link io.pgturso.libsql.jdbc.LibsqlDataSource}.
 *
 * <h2>Statements</h2>
 * Each execution is one HTTP request. The local server reports 0 affected rows, so a write is followed in the same
 * request by {@code SELECT changes(), last_insert_rowid()} until the server is seen to report real counts (Turso
 * Cloud does): update counts and {@code getGeneratedKeys()} (the rowid) are real. Transaction statements in SQL text
 * ({@code BEGIN}, {@code SAVEPOINT}...) are refused: on a server whose connection is shared, an open transaction would
 * capture every later request.
 *
 * <h2>Batches</h2>
 * {@code executeBatch} sends the batch in as few requests as {@code maxRowsPerRequest} (10,000) and
 * {@code maxRequestBytes} (8 MiB) allow; each request is one transaction: {@code BEGIN}, every statement (all run,
 * even after one fails, so one round trip finds all failures), {@code COMMIT} if all succeeded, else
 * {@code ROLLBACK}. Atomicity is therefore per request; at the default size a request takes well under a second,
 * inside Turso Cloud's 5-second transaction window. A batch of one single-row {@code INSERT ... VALUES (?, ...)}
 * (also {@code INSERT OR IGNORE}, {@code REPLACE} and {@code ON CONFLICT ... DO UPDATE} upserts) is sent as
 * multi-row statements of up to {@code maxRowsPerStatement} (500) rows within SQLite's 32,766 parameters.
 *
 * <p>A failure throws {@link java.sql.BatchUpdateException}: its update counts cover the statements up to the end of
 * the failed request, with {@link java.sql.Statement#EXECUTE_FAILED} exactly for the statements that failed; when a
 * multi-row statement failed, the request runs again one row per statement in a transaction that is always rolled
 * back, to name the failing rows. Nothing of the failed request is committed; earlier requests of the same batch
 * are, and the message says which; later ones are not sent. {@code getCause()} and the {@code getNextException()}
 * chain hold the mapped errors ({@link io.pgturso.libsql.jdbc.SqlErrors}). When the first request cannot be sent at
 * all, the mapped exception itself is thrown (for instance {@link java.sql.SQLTransientConnectionException}).
 * Update counts: 1 per row of a multi-row statement when its row count matches, else
 * {@link java.sql.Statement#SUCCESS_NO_INFO} (an upsert whose {@code WHERE} skipped rows).
 *
 * <h2>Transactions</h2>
 * With {@code setAutoCommit(false)} writes are buffered in the connection and sent at {@code commit()} as one
 * request, one transaction, whatever its size; {@code rollback()} and {@code close()} discard them. Their update
 * counts are {@link java.sql.Statement#SUCCESS_NO_INFO}; a failure at commit throws a
 * {@link java.sql.BatchUpdateException} naming the failed writes, and nothing is applied. Reads run at once and see
 * committed data only, not the buffered writes (READ COMMITTED); {@code RETURNING} is refused inside a transaction.
 *
 * <h2>Errors</h2>
 * HTTP 401/403: {@link java.sql.SQLInvalidAuthorizationSpecException}. Refused connections, HTTP 429/502/503/504:
 * {@link java.sql.SQLTransientConnectionException}; timeouts: {@link java.sql.SQLTimeoutException}; a busy or
 * locked database: {@link java.sql.SQLTransientException}. Constraints:
 * {@link java.sql.SQLIntegrityConstraintViolationException} (SQLState 23505 unique, 23502 not null, 23503 foreign
 * key, 23514 check); syntax and unknown names: {@link java.sql.SQLSyntaxErrorException}; anything else:
 * {@link java.sql.SQLNonTransientException}. See {@link io.pgturso.libsql.hrana} for what is retried.
 */
package io.pgturso.libsql.jdbc;
