package io.pgturso.libsql.jdbc;

import java.sql.DriverPropertyInfo;
import java.util.Properties;

/** The connection properties: given as {@link Properties} or in the URL query; one name, default and description each. */
public enum LibsqlProperty {

    AUTH_TOKEN("authToken", null,
            "Bearer token for the server; when unset, the TURSO_AUTH_TOKEN environment variable is used."),
    CONNECT_TIMEOUT_MILLIS("connectTimeoutMillis", "10000", "How long to wait for a TCP/TLS connection."),
    REQUEST_TIMEOUT_MILLIS("requestTimeoutMillis", "60000",
            "How long to wait for the response to one HTTP request (Statement.setQueryTimeout overrides it)."),
    RETRY_MAX_ATTEMPTS("retryMaxAttempts", "5",
            "Attempts per request, the first included, when a failure is transient and safe to retry."),
    RETRY_MAX_MILLIS("retryMaxMillis", "30000", "Time budget for all attempts of one request, pauses included."),
    RETRY_INITIAL_BACKOFF_MILLIS("retryInitialBackoffMillis", "100",
            "First pause between attempts; it doubles per attempt (with jitter) up to 5 s."),
    MAX_ROWS_PER_REQUEST("maxRowsPerRequest", "10000",
            "Most batch rows sent in one HTTP request (one transaction); larger batches are split."),
    MAX_REQUEST_BYTES("maxRequestBytes", "8388608",
            "Most bytes of statement text and arguments in one batch request; larger batches are split."),
    MAX_ROWS_PER_STATEMENT("maxRowsPerStatement", "500",
            "Most rows one rewritten multi-row INSERT carries (also bounded by SQLite's 32766 parameters)."),
    REWRITE_BATCHED_INSERTS("rewriteBatchedInserts", "true",
            "Send a batch of single-row INSERTs as multi-row INSERT statements (several times faster)."),
    INLINE_LITERALS("inlineLiterals", "true",
            "In rewritten multi-row INSERTs, write NULL, integer and text values as SQL literals instead of arguments "
                    + "(fewer bytes, less server work); finite REAL and BLOB values stay arguments."),
    CLOSE_STREAMS("closeStreams", "auto",
            "End every request with a Hrana close, so the server frees its stream at once: auto (on; off for servers "
                    + "that refuse it), true, false."),
    SPLIT_TRANSACTIONS("splitTransactions", "false",
            "Let commit() send a transaction larger than one request allows (maxRowsPerRequest, maxRequestBytes, the "
                    + "server's body limit) as several requests, each its own transaction: only for idempotent writes "
                    + "that need not be atomic."),
    RETRY_AMBIGUOUS_WRITES("retryAmbiguousWrites", "false",
            "Send a write again after a failure that leaves unknown whether it applied (timeout, lost connection, "
                    + "HTTP 5xx): only for idempotent writes."),
    ALLOW_TOKEN_OVER_HTTP("allowTokenOverHttp", "false",
            "Allow sending the token over plain http to a host that is not loopback (a trusted private network)."),
    REQUEST_LISTENER("requestListener", null,
            "Name returned by RequestListeners.register: that listener hears of every request, retry and failure.");

    private final String key;
    private final String defaultValue;
    private final String description;

    LibsqlProperty(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The value in the properties, else the default. */
    String from(Properties properties) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    DriverPropertyInfo info(Properties given) {
        // The token's value is never echoed back, not even to the caller who gave it.
        DriverPropertyInfo info = new DriverPropertyInfo(key, this == AUTH_TOKEN ? null : from(given));
        info.description = description;
        info.required = false;
        if (this == REWRITE_BATCHED_INSERTS || this == INLINE_LITERALS || this == RETRY_AMBIGUOUS_WRITES
                || this == ALLOW_TOKEN_OVER_HTTP || this == SPLIT_TRANSACTIONS) {
            info.choices = new String[] {"true", "false"};
        }
        if (this == CLOSE_STREAMS) {
            info.choices = new String[] {"auto", "true", "false"};
        }
        return info;
    }
}
