package io.pgturso.libsql.hrana;

/** A bearer token that never shows itself: {@code toString()} is redacted. */
public final class AuthToken {

    private final String secret;

    private AuthToken(String secret) {
        this.secret = secret;
    }

    /** The token, or null when the text is null or blank (then no Authorization header is sent). */
    public static AuthToken ofNullable(String secret) {
        return secret == null || secret.isBlank() ? null : new AuthToken(secret.strip());
    }

    String headerValue() {
        return "Bearer " + secret;
    }

    /** Removes the token from a text that might echo it (a server error body, say). */
    public String scrub(String text) {
        return text == null ? null : text.replace(secret, "[redacted]");
    }

    @Override
    public String toString() {
        return "AuthToken[redacted]";
    }
}
