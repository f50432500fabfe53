package io.pgturso.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Connection settings from application.properties, overridden by the usual environment variables. */
public record SyncSettings(PostgresUrl source, int sourcePoolSize, TargetUrl target, String targetAuthToken,
        int targetPoolSize, boolean numericAsText) {

    /** Reads the settings; {@code property} looks up application.properties, {@code env} the environment. */
    public static SyncSettings read(Function<String, Optional<String>> property, Map<String, String> env, Path baseDir) {
        String sourceUrl = firstOf(env.get("DATABASE_URL"), property.apply("sync.source.url").orElse(null));
        String user = firstOf(env.get("PGUSER"), property.apply("sync.source.user").orElse(null));
        String password = firstOf(env.get("PGPASSWORD"), property.apply("sync.source.password").orElse(null));
        String targetUrl = firstOf(env.get("TURSO_DATABASE_URL"), property.apply("sync.target.url").orElse(null));
        String token = firstOf(env.get("TURSO_AUTH_TOKEN"), property.apply("sync.target.auth-token").orElse(null));
        TargetUrl target = TargetUrl.parse(targetUrl, baseDir);
        String numeric = property.apply("sync.types.numeric").orElse("text").trim();
        if (!numeric.equals("text") && !numeric.equals("real")) {
            throw new ConfigException("sync.types.numeric must be 'text' (exact) or 'real' (got '" + numeric + "')");
        }
        return new SyncSettings(PostgresUrl.parse(sourceUrl, user, password),
                intSetting(property, "sync.source.pool-size", 4),
                target, token == null || token.isBlank() ? null : token.trim(),
                target.isFile() ? 1 : intSetting(property, "sync.target.pool-size", 4), numeric.equals("text"));
    }

    private static int intSetting(Function<String, Optional<String>> property, String key, int fallback) {
        String value = property.apply(key).orElse(null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a positive whole number (got '" + value + "')");
        }
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    @Override
    public String toString() {
        return "source " + source + ", target " + target;
    }
}
