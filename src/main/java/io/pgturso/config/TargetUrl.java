package io.pgturso.config;

import java.nio.file.Path;

/** The target database: a local libSQL/SQLite file ({@code file:...}) or a Turso server ({@code libsql://}, {@code https://}, {@code http://}). */
public record TargetUrl(String url, String jdbcUrl, boolean isFile) {

    /** Parses a target URL as Turso's own clients accept it; a bare path counts as a file. */
    public static TargetUrl parse(String url, Path baseDir) {
        if (url == null || url.isBlank()) {
            throw new ConfigException("No target URL: set sync.target.url in application.properties or TURSO_DATABASE_URL in the environment");
        }
        String u = url.trim();
        if (u.startsWith("jdbc:libsql:")) {
            u = u.substring("jdbc:libsql:".length());
        }
        if (u.startsWith("file:")) {
            String path = u.substring("file:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            if (path.isBlank()) {
                throw new ConfigException("Target file URL has no path: '" + Redaction.url(url) + "' (example: file:data/cache.db)");
            }
            Path file = baseDir.resolve(path).normalize();
            return new TargetUrl(u, "jdbc:sqlite:" + file, true);
        }
        if (u.startsWith("libsql://") || u.startsWith("https://") || u.startsWith("http://")) {
            String rest = u.substring(u.indexOf("://") + 3);
            if (rest.isBlank() || rest.startsWith("/") || rest.startsWith(":")) {
                throw new ConfigException("Target URL has no host: '" + Redaction.url(url) + "'");
            }
            return new TargetUrl(u, "jdbc:libsql:" + u, false);
        }
        throw new ConfigException("Target URL must be file:PATH, libsql://HOST, https://HOST or http://HOST:PORT (got '"
                + Redaction.url(url) + "')");
    }

    @Override
    public String toString() {
        return Redaction.url(url);
    }
}
