package io.pgturso.target;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One name per target database, however its URL is spelled ({@code libsql://h}, {@code https://h/}, {@code https://h:443}
 * are one target; a file by its absolute path), so that every process writing a target takes the same table locks.
 */
public final class TargetIdentity {
    private TargetIdentity() {
    }

    /** The identity of a target URL, with or without its {@code jdbc:libsql:} or {@code jdbc:sqlite:} prefix. */
    public static String of(String url) {
        String u = url.trim();
        for (String prefix : new String[] {"jdbc:libsql:", "jdbc:sqlite:"}) {
            if (u.startsWith(prefix)) {
                u = u.substring(prefix.length());
            }
        }
        if (u.startsWith("file:")) {
            u = u.substring("file:".length());
            u = u.startsWith("//") ? u.substring(2) : u;
        }
        int scheme = u.indexOf("://");
        if (scheme < 0) {
            return "file:" + Path.of(u).toAbsolutePath().normalize();
        }
        try {
            URI uri = new URI(u);
            String name = uri.getScheme().toLowerCase(Locale.ROOT);
            // libsql:// is https:// (the clients' own spelling); a token in the query is no part of the identity
            int port = uri.getPort() >= 0 ? uri.getPort() : name.equals("http") || name.equals("ws") ? 80 : 443;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return "remote:" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path;
        } catch (URISyntaxException | RuntimeException e) {
            // not a URL Java can read: its text is all there is to tell it apart
            return u;
        }
    }
}
