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

    private SqlErrors() {
    }

    /** Maps a failed HTTP exchange. */
    public static SQLException of(HranaException failure) {
        int status = failure.httpStatus();
        String message = failure.getMessage();
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
        if (lower.contains("constraint failed") || (code & 0xff) == 19) {
            return new SQLIntegrityConstraintViolationException(message, constraintState(lower), code);
        }
        if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED || lower.contains("database is locked")
                || lower.contains("database is busy") || lower.contains("sqlite_busy")) {
            return new SQLTransientException(message, "40001", code);
        }
        if ("PREPARE_ERROR".equals(error.code()) || lower.contains("syntax error") || lower.startsWith("parse error")) {
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
