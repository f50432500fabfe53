package io.pgturso.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A Postgres connection given as {@code postgres://user:pass@host:port/db} or {@code jdbc:postgresql:...}, split into a JDBC URL and credentials. */
public record PostgresUrl(String jdbcUrl, String user, String password) {

    /** Parses either form; credentials in the URL win over the separate settings. */
    public static PostgresUrl parse(String url, String user, String password) {
        if (url == null || url.isBlank()) {
            throw new ConfigException("No Postgres URL: set sync.source.url in application.properties or DATABASE_URL in the environment");
        }
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(trimmed, blankToNull(user), blankToNull(password));
        }
        if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
            return fromUri(trimmed, user, password);
        }
        throw new ConfigException("Postgres URL must start with postgres://, postgresql:// or jdbc:postgresql: (got '"
                + Redaction.url(trimmed) + "')");
    }

    private static PostgresUrl fromUri(String url, String user, String password) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Postgres URL is not a valid URL: '" + Redaction.url(url) + "'" + credentialsHint(url));
        }
        if (uri.getHost() == null) {
            throw new ConfigException("Postgres URL has no host: '" + Redaction.url(url) + "'" + credentialsHint(url));
        }
        // an @ that does not end the user-info: a password with / ? # or @ cut the URL short (postgres://app:12/x@host reads as host app)
        if (uri.getRawUserInfo() == null && url.indexOf('@') >= 0) {
            throw new ConfigException("Postgres URL cannot be read: '" + Redaction.url(url) + "'" + credentialsHint(url));
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        jdbc.append(path);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        String urlUser = user;
        String urlPassword = password;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            urlUser = decode(parts[0]);
            if (parts.length == 2) {
                urlPassword = decode(parts[1]);
            }
        }
        return new PostgresUrl(jdbc.toString(), blankToNull(urlUser), blankToNull(urlPassword));
    }

    /** How to write user and password in a URL, when the URL holds them. */
    private static String credentialsHint(String url) {
        return url.indexOf('@') < 0 ? "" : ": percent-encode the characters / ? # @ : and spaces of the user and password "
                + "(%2F %3F %23 %40 %3A %20), or give them in sync.source.user and sync.source.password (PGUSER, PGPASSWORD)";
    }

    /** Percent-decoding only: a + in a password is a +, as libpq reads it. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return Redaction.url(jdbcUrl) + (user == null ? "" : " as " + user);
    }
}
