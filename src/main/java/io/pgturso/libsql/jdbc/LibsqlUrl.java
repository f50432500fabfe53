package io.pgturso.libsql.jdbc;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/** A {@code jdbc:libsql:} URL: the server's base URI plus properties given in its query. */
public final class LibsqlUrl {

    static final String PREFIX = "jdbc:libsql:";
    private static final Pattern TOKEN_IN_QUERY = Pattern.compile("(?i)(authToken=)[^&#]*");

    private final URI serverUri;
    private final Properties queryProperties;
    private final String redacted;

    private LibsqlUrl(URI serverUri, Properties queryProperties, String redacted) {
        this.serverUri = serverUri;
        this.queryProperties = queryProperties;
        this.redacted = redacted;
    }

    /** True for the remote forms: {@code jdbc:libsql://host}, {@code jdbc:libsql:http(s)://...}, {@code jdbc:libsql:libsql://...}. */
    public static boolean isRemote(String url) {
        if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        String rest = url.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT);
        return rest.startsWith("//") || rest.startsWith("http://") || rest.startsWith("https://")
                || rest.startsWith("libsql://");
    }

    /** True for {@code jdbc:libsql:file:...}, which this driver does not serve. */
    static boolean isFile(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX + "file:", 0, PREFIX.length() + 5);
    }

    /** Replaces a token in a URL's query by {@code ***}, so the URL can be logged. */
    public static String redact(String url) {
        return url == null ? null : TOKEN_IN_QUERY.matcher(url).replaceAll("$1***");
    }

    public static LibsqlUrl parse(String url) throws SQLException {
        if (isFile(url)) {
            throw new SQLException("file targets are not served by the libSQL HTTP driver: open them with "
                    + "sqlite-jdbc (jdbc:sqlite:PATH)", "08001");
        }
        if (!isRemote(url)) {
            throw new SQLException("not a remote libSQL URL: " + redact(url)
                    + " (expected jdbc:libsql://host, jdbc:libsql:https://host[:port] or jdbc:libsql:http://host:port)",
                    "08001");
        }
        String rest = url.substring(PREFIX.length());
        String lower = rest.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("//")) {
            rest = "https:" + rest;
        } else if (lower.startsWith("libsql://")) {
            rest = "https://" + rest.substring("libsql://".length());
        }
        try {
            URI uri = URI.create(rest);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            Properties query = parseQuery(uri.getRawQuery());
            URI server = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
            return new LibsqlUrl(server, query, redact(url));
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            throw new SQLException("malformed libSQL URL: " + redact(url) + " (" + e.getMessage()
                    .replace(rest, redact(rest)) + ")", "08001");
        }
    }

    private static Properties parseQuery(String rawQuery) {
        Properties properties = new Properties();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return properties;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            properties.setProperty(key, value);
        }
        return properties;
    }

    /** The server's base URI (scheme, host, port, path), without query. */
    public URI serverUri() {
        return serverUri;
    }

    /** Properties given in the URL query. */
    public Properties queryProperties() {
        Properties copy = new Properties();
        copy.putAll(queryProperties);
        return copy;
    }

    /** The URL as given, with any token replaced by {@code ***}. */
    @Override
    public String toString() {
        return redacted;
    }
}
