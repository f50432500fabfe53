package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.AuthToken;
import io.pgturso.libsql.hrana.RetryPolicy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/** Typed connection settings: the URL's query, overridden by given properties, over the defaults. */
record ConnectionSettings(
        LibsqlUrl url,
        AuthToken token,
        Duration connectTimeout,
        Duration requestTimeout,
        RetryPolicy retryPolicy,
        int maxRowsPerRequest,
        long maxRequestBytes,
        int maxRowsPerStatement,
        boolean rewriteBatchedInserts,
        boolean closeStreams) {

    static final String TOKEN_ENVIRONMENT_VARIABLE = "TURSO_AUTH_TOKEN";

    static ConnectionSettings from(String url, Properties given) throws SQLException {
        LibsqlUrl parsed = LibsqlUrl.parse(url);
        Properties merged = parsed.queryProperties();
        if (given != null) {
            given.stringPropertyNames().forEach(name -> merged.setProperty(name, given.getProperty(name)));
        }
        String token = LibsqlProperty.AUTH_TOKEN.from(merged);
        if (token == null) {
            token = System.getenv(TOKEN_ENVIRONMENT_VARIABLE);
        }
        RetryPolicy retry = new RetryPolicy(
                (int) positive(merged, LibsqlProperty.RETRY_MAX_ATTEMPTS),
                Duration.ofMillis(positive(merged, LibsqlProperty.RETRY_MAX_MILLIS)),
                Duration.ofMillis(positive(merged, LibsqlProperty.RETRY_INITIAL_BACKOFF_MILLIS)),
                Duration.ofSeconds(5));
        return new ConnectionSettings(parsed, AuthToken.ofNullable(token),
                Duration.ofMillis(positive(merged, LibsqlProperty.CONNECT_TIMEOUT_MILLIS)),
                Duration.ofMillis(positive(merged, LibsqlProperty.REQUEST_TIMEOUT_MILLIS)),
                retry,
                (int) positive(merged, LibsqlProperty.MAX_ROWS_PER_REQUEST),
                positive(merged, LibsqlProperty.MAX_REQUEST_BYTES),
                (int) positive(merged, LibsqlProperty.MAX_ROWS_PER_STATEMENT),
                Boolean.parseBoolean(LibsqlProperty.REWRITE_BATCHED_INSERTS.from(merged)),
                closeStreams(LibsqlProperty.CLOSE_STREAMS.from(merged), parsed));
    }

    /** auto: close streams on https servers (Turso Cloud); plain http is usually a local server that refuses close. */
    private static boolean closeStreams(String value, LibsqlUrl url) throws SQLException {
        return switch (value) {
            case "auto" -> "https".equals(url.serverUri().getScheme());
            case "true" -> true;
            case "false" -> false;
            default -> throw new SQLException("connection property closeStreams must be auto, true or false, not '"
                    + value + "'", "HY024");
        };
    }

    private static long positive(Properties properties, LibsqlProperty property) throws SQLException {
        String text = property.from(properties);
        try {
            long value = Long.parseLong(text);
            if (value < 1 || value > Integer.MAX_VALUE && property != LibsqlProperty.MAX_REQUEST_BYTES) {
                throw new NumberFormatException("out of range");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SQLException("connection property " + property.key() + " must be a positive whole number, not '"
                    + text + "'", "HY024");
        }
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + url + "]";
    }
}
