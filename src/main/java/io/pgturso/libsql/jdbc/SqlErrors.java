package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.HranaError;
import io.pgturso.libsql.hrana.HranaException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where failures become {@link SQLException}s: transient ones (outages, overload, busy database) apart
 * from permanent ones (constraints, syntax, auth), so callers can retry the first and dead-letter the second.
 */
public final class SqlErrors {

    // SQLite appends its result code in parentheses: "UNIQUE constraint failed: t.name (19)".
    private static final Pattern RESULT_CODE = Pattern.compile("\\((\\d+)\\)\\s*$");
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    /** Hrana codes (libsql-server) of failures that may pass when the same statement is sent later. */
    private static final java.util.Set<String> TRANSIENT_CODES = java.util.Set.of("TRANSACTION_TIMEOUT",
            "TRANSACTION_BUSY", "STREAM_EXPIRED", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_INTERRUPT", "PROXY_ERROR");
    /** Hrana codes of statements the server could not parse or bind. */
    private static final java.util.Set<String> SYNTAX_CODES = java.util.Set.of("SQL_PARSE_ERROR", "PREPARE_ERROR",
            "SQL_INPUT_ERROR", "SQL_NO_STATEMENT", "SQL_MANY_STATEMENTS", "ARGS_INVALID");
    /** SQLState of a response over the server's cap (10 MB on libsql-server): "program limit exceeded". */
    static final String RESPONSE_TOO_LARGE_STATE = "54000";

    private SqlErrors() {
    }

    /** Maps a failed HTTP exchange. */
    public static SQLException of(HranaException failure) {
        int status = failure.httpStatus();
        String message = failure.getMessage();
        if (status == 413) {
            return new SQLNonTransientException(message + " (the server, or a proxy before it, refused the request "
                    + "body as too large)", RESPONSE_TOO_LARGE_STATE, status, failure);
        }
        if (status == 401 || status == 403) {
            return new SQLInvalidAuthorizationSpecException("token rejected by " + failure.host() + " (HTTP " + status
                    + "): check TURSO_AUTH_TOKEN or the authToken property", "28000", status, failure);
        }
        if (failure.kind() == HranaException.Kind.TIMEOUT) {
            return new SQLTimeoutException(message, "08006", 0, failure);
        }
        if (failure.isTransient()) {
            String state = failure.kind() == HranaException.Kind.CONNECT_FAILED ? "08001" : "08006";
            return new SQLTransientConnectionException(message, state, status, failure);
        }
        if (failure.kind() == HranaException.Kind.BAD_RESPONSE) {
            return new SQLNonTransientConnectionException(message, "08000", status, failure);
        }
        return new SQLNonTransientException(message, "HY000", status, failure);
    }

    /** Maps an error the server reported for a statement; {@code where} says which one (may be empty). */
    public static SQLException of(HranaError error, String where) {
        String text = error.message() == null ? "unknown error" : error.message();
        String message = where.isEmpty() ? text : text + " (" + where + ")";
        int code = resultCode(text);
        String lower = text.toLowerCase(Locale.ROOT);
        String hranaCode = error.code() == null ? "" : error.code();
        if (TRANSIENT_CODES.contains(hranaCode)) {
            return new SQLTransientException(message + " [" + hranaCode + "]", "40001", code);
        }
        if ("RESPONSE_TOO_LARGE".equals(hranaCode)) {
            return new SQLNonTransientException(message + " (the server caps one response, 10 MB on Turso: read fewer "
                    + "rows at a time)", RESPONSE_TOO_LARGE_STATE, code);
        }
        if (hranaCode.startsWith("SQLITE_CONSTRAINT") || lower.contains("constraint failed") || (code & 0xff) == 19) {
            return new SQLIntegrityConstraintViolationException(message, constraintState(lower), code);
        }
        if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED || lower.contains("database is locked")
                || lower.contains("database is busy") || lower.contains("sqlite_busy")) {
            return new SQLTransientException(message, "40001", code);
        }
        // libsql-server reports unknown tables and columns as SQLITE_UNKNOWN (SQLite's SQLITE_ERROR): known by text only
        if (lower.contains("no such table")) {
            return new SQLSyntaxErrorException(message, "42S02", code);
        }
        if (lower.contains("no such column") || lower.contains("has no column named")) {
            return new SQLSyntaxErrorException(message, "42S22", code);
        }
        if (SYNTAX_CODES.contains(hranaCode) || lower.contains("syntax error") || lower.startsWith("parse error")) {
            return new SQLSyntaxErrorException(message, "42000", code);
        }
        return new SQLNonTransientException(message, "HY000", code);
    }

    /** The call is valid JDBC but this driver does not offer it. */
    static SQLFeatureNotSupportedException unsupported(String what) {
        return new SQLFeatureNotSupportedException(what + " is not supported by the libSQL driver", "0A000");
    }

    static SQLException closed(String what) {
        return new SQLNonTransientException(what + " is closed", "08003");
    }

    /** Closed by its pool after the server went away: a new connection will do, so the failure is transient. */
    static SQLException closedAfterOutage(String what) {
        return new SQLTransientConnectionException(what + " is closed: its connection was closed after the server "
                + "could not be reached; retry with a new connection", "08003");
    }

    private static int resultCode(String text) {
        Matcher matcher = RESULT_CODE.matcher(text);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    // PostgreSQL's states for the constraint kinds, which Spring and most tools recognise.
    private static String constraintState(String lower) {
        if (lower.contains("unique") || lower.contains("primary key")) {
            return "23505";
        }
        if (lower.contains("not null")) {
            return "23502";
        }
        if (lower.contains("foreign key")) {
            return "23503";
        }
        if (lower.contains("check")) {
            return "23514";
        }
        return "23000";
    }
}
