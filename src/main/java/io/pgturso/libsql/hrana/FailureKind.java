package io.pgturso.libsql.hrana;

import java.util.Locale;

/**
 * A failure's kind as a short stable label: {@code connect}, {@code connection_lost}, {@code timeout}, {@code http_429},
 * {@code http_5xx}, {@code http_4xx}, {@code auth}, {@code request_too_large}, {@code bad_response},
 * {@code stream_expired}, {@code transaction_timeout}, {@code busy}, {@code response_too_large}, {@code constraint},
 * {@code syntax}, {@code other}.
 */
public final class FailureKind {

    private FailureKind() {
    }

    /** The kind of a request that got no usable answer. */
    public static String of(HranaException failure) {
        if ("STREAM_EXPIRED".equals(failure.code())) {
            return "stream_expired";
        }
        return switch (failure.kind()) {
            case CONNECT_FAILED -> "connect";
            case CONNECTION_LOST -> "connection_lost";
            case TIMEOUT -> "timeout";
            case BAD_RESPONSE -> "bad_response";
            case HTTP_STATUS -> ofStatus(failure.httpStatus());
        };
    }

    private static String ofStatus(int status) {
        if (status == 401 || status == 403) {
            return "auth";
        }
        if (status == 429) {
            return "http_429";
        }
        if (status == 413) {
            return "request_too_large";
        }
        return status >= 500 ? "http_5xx" : "http_4xx";
    }

    /** The kind of a statement failure the server reported. */
    public static String of(HranaError error) {
        String code = error.code() == null ? "" : error.code();
        String text = error.message() == null ? "" : error.message().toLowerCase(Locale.ROOT);
        if (code.equals("TRANSACTION_TIMEOUT")) {
            return "transaction_timeout";
        }
        if (code.equals("STREAM_EXPIRED")) {
            return "stream_expired";
        }
        if (code.equals("RESPONSE_TOO_LARGE")) {
            return "response_too_large";
        }
        if (code.equals("TRANSACTION_BUSY") || code.equals("SQLITE_BUSY") || code.equals("SQLITE_LOCKED")
                || text.contains("database is locked") || text.contains("database is busy")) {
            return "busy";
        }
        if (code.startsWith("SQLITE_CONSTRAINT") || text.contains("constraint failed")) {
            return "constraint";
        }
        if (code.equals("SQL_PARSE_ERROR") || code.equals("PREPARE_ERROR") || text.contains("syntax error")
                || text.contains("no such table") || text.contains("no such column")) {
            return "syntax";
        }
        return "other";
    }
}
