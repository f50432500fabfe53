package io.pgturso.failure;

import io.pgturso.route.UsedByRoutes;
import java.io.IOException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.camel.Exchange;
import org.sqlite.SQLiteException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/** Sorts failures into outages (retry later, skip nothing) and problems of one row (dead-letter it, go on). */
public class SyncFailures {
    /** For drivers that throw plain SQLExceptions (pgjdbc): connection, resources, operator intervention, rollback. */
    private static final Set<String> TRANSIENT_SQLSTATE_CLASSES = Set.of("08", "53", "57", "40");
    private static final Set<String> ROW_SQLITE_CODES = Set.of("SQLITE_CONSTRAINT", "SQLITE_TOOBIG", "SQLITE_MISMATCH", "SQLITE_RANGE");

    /** True for outages and contention: connection refused or lost, timeouts, busy databases, HTTP 429/5xx. */
    @UsedByRoutes("sync-error-handling, write-page, dead-letter-replay: ${bean:syncFailures?method=isTransient}")
    public boolean isTransient(Exchange exchange) {
        return isTransient(failure(exchange));
    }

    /** True when the target refused this row itself (constraint, type, size), not the whole table or server. */
    @UsedByRoutes("write-page: ${bean:syncFailures?method=isRowProblem}")
    public boolean isRowProblem(Exchange exchange) {
        return isRowProblem(failure(exchange));
    }

    /** See {@link #isTransient(Exchange)}. */
    public static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof SourceUnavailableException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLiteException s && (s.getResultCode().name().startsWith("SQLITE_BUSY")
                    || s.getResultCode().name().startsWith("SQLITE_LOCKED") || s.getResultCode().name().startsWith("SQLITE_IOERR"))) {
                return true;
            }
            if (t instanceof SQLException s && !(t instanceof SQLiteException) && !(t instanceof SQLNonTransientException)
                    && s.getSQLState() != null
                    && s.getSQLState().length() >= 2 && TRANSIENT_SQLSTATE_CLASSES.contains(s.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /** See {@link #isRowProblem(Exchange)}. */
    public static boolean isRowProblem(Throwable error) {
        if (isTransient(error)) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLIntegrityConstraintViolationException || t instanceof SQLDataException
                    || t instanceof DataIntegrityViolationException) {
                return true;
            }
            if (t instanceof SQLiteException s && ROW_SQLITE_CODES.stream().anyMatch(c -> s.getResultCode().name().startsWith(c))) {
                return true;
            }
        }
        return false;
    }

    /** The most telling message of a failure: the first SQL error's, else the root cause's. */
    public static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        Throwable root = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof SourceUnavailableException || t instanceof io.pgturso.config.ConfigException
                    || t instanceof TableBusyException) {
                Throwable cause = t.getCause();
                boolean causeAddsDetail = (cause instanceof SQLException || cause instanceof IOException)
                        && cause.getMessage() != null && !t.getMessage().contains(cause.getMessage());
                return causeAddsDetail ? t.getMessage() + ": " + cause.getMessage() : t.getMessage();
            }
            root = t;
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static Throwable failure(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
