package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.AuthToken;
import io.pgturso.libsql.hrana.RequestListener;
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
        boolean inlineLiterals,
        boolean closeStreams,
        boolean splitTransactions,
        boolean retryAmbiguousWrites,
        RequestListener listener) {

    static final String TOKEN_ENVIRONMENT_VARIABLE = "TURSO_AUTH_TOKEN";
    private static final java.util.regex.Pattern IPV4_LITERAL = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    static ConnectionSettings from(String url, Properties given) throws SQLException {
        LibsqlUrl parsed = LibsqlUrl.parse(url);
        Properties merged = parsed.queryProperties();
        if (given != null) {
            given.stringPropertyNames().forEach(name -> merged.setProperty(name, given.getProperty(name)));
        }
        String token = LibsqlProperty.AUTH_TOKEN.from(merged);
        if (token == null) {
            // DriverManager.getConnection(url, user, password) and pools pass the token as the password
            String password = merged.getProperty("password");
            token = password == null || password.isBlank() ? System.getenv(TOKEN_ENVIRONMENT_VARIABLE) : password;
        }
        if (token != null && !token.isBlank()) {
            refuseTokenInClearText(parsed, bool(merged, LibsqlProperty.ALLOW_TOKEN_OVER_HTTP));
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
                bool(merged, LibsqlProperty.INLINE_LITERALS),
                closeStreams(LibsqlProperty.CLOSE_STREAMS.from(merged)),
                bool(merged, LibsqlProperty.SPLIT_TRANSACTIONS),
                bool(merged, LibsqlProperty.RETRY_AMBIGUOUS_WRITES),
                RequestListeners.named(LibsqlProperty.REQUEST_LISTENER.from(merged)));
    }

    /** A token sent over plain http can be read on the way: only to loopback, unless the caller says otherwise. */
    private static void refuseTokenInClearText(LibsqlUrl url, boolean allowed) throws SQLException {
        java.net.URI server = url.serverUri();
        if (allowed || !"http".equals(server.getScheme()) || isLoopback(server.getHost())) {
            return;
        }
        throw new SQLException("refusing to send the auth token over plain http to " + server.getHost()
                + ": use https (libsql:// URLs are https), or set allowTokenOverHttp=true for a trusted private "
                + "network", "28000");
    }

    /** Loopback by its address literal (127.0.0.0/8, ::1) or the name localhost: never by a name that only starts like one. */
    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (IPV4_LITERAL.matcher(host).matches()) {
            return java.util.Arrays.stream(host.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255)
                    && host.startsWith("127.");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                // a bracketed IPv6 literal is parsed, never looked up
                return java.net.InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return host.equalsIgnoreCase("localhost");
    }

    private static boolean bool(Properties properties, LibsqlProperty property) throws SQLException {
        String value = property.from(properties);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SQLException("connection property " + property.key() + " must be true or false, not '"
                    + value + "'", "HY024");
        };
    }

    /** auto and true: every request closes its stream (servers that refuse close are remembered and not asked). */
    private static boolean closeStreams(String value) throws SQLException {
        return switch (value) {
            case "auto" -> true;
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
