package io.pgturso.libsql.hrana;

/** A pipeline request that did not come back with a readable response, and whether it may have been applied. */
public final class HranaException extends Exception {

    /** What went wrong. */
    public enum Kind {
        /** The server could not be reached: the request was certainly not applied. */
        CONNECT_FAILED,
        /** No response in time after the request was sent: it may or may not have been applied. */
        TIMEOUT,
        /** The connection broke after the request was sent: it may or may not have been applied. */
        CONNECTION_LOST,
        /** The server answered with a non-2xx HTTP status. */
        HTTP_STATUS,
        /** The server answered 2xx with a body that is not a pipeline response. */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final int httpStatus;
    private final String host;
    private final String code;

    public HranaException(Kind kind, int httpStatus, String host, String message, Throwable cause) {
        this(kind, httpStatus, host, message, cause, null);
    }

    public HranaException(Kind kind, int httpStatus, String host, String message, Throwable cause, String code) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.host = host;
        this.code = code;
    }

    /** The Hrana error code of an HTTP error's body (e.g. {@code STREAM_EXPIRED}), or null. */
    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** host[:port] of the server, for messages. */
    public String host() {
        return host;
    }

    /** True when the server certainly did not apply the request, so sending it again cannot apply it twice. */
    public boolean certainlyNotApplied() {
        // libsql-server answers 429 when it refused the work (TRANSACTION_BUSY, throttling) and 413 comes from a proxy
        // that refused the body; 503 (replicator gone, shutting down) and the other 5xx may come after the work.
        return kind == Kind.CONNECT_FAILED || httpStatus == 429 || httpStatus == 413;
    }

    /** True when the same request may succeed later (outage, overload, timeout). */
    public boolean isTransient() {
        return switch (kind) {
            case CONNECT_FAILED, TIMEOUT, CONNECTION_LOST -> true;
            case HTTP_STATUS -> httpStatus == 429 || httpStatus == 502 || httpStatus == 503 || httpStatus == 504
                    || "STREAM_EXPIRED".equals(code);
            case BAD_RESPONSE -> false;
        };
    }

    /** True when the server may have applied the request although no response arrived. */
    public boolean outcomeUnknown() {
        return kind == Kind.TIMEOUT || kind == Kind.CONNECTION_LOST || httpStatus == 502 || httpStatus == 503
                || httpStatus == 504;
    }
}
