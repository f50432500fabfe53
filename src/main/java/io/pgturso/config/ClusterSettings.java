package io.pgturso.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code sync.cluster.*}: several processes sharing the tables through Quartz's clustered job store in Postgres.
 * The connection defaults to the source's server and database, with a pool of its own that may write.
 */
public record ClusterSettings(boolean enabled, PostgresUrl database, String schema, long checkinIntervalMillis) {
    /** Default schema of Quartz's tables. */
    public static final String DEFAULT_SCHEMA = "pgturso_quartz";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Reads the settings; {@code source} supplies the defaults of the connection. */
    public static ClusterSettings read(Function<String, Optional<String>> property, PostgresUrl source) {
        String enabled = text(property, "sync.cluster.enabled", "false");
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new ConfigException("sync.cluster.enabled must be true or false (got '" + enabled + "')");
        }
        String url = text(property, "sync.cluster.url", null);
        String user = text(property, "sync.cluster.user", null);
        String password = text(property, "sync.cluster.password", null);
        PostgresUrl database = url == null ? source
                : PostgresUrl.parse(url, user != null ? user : source.user(), password != null ? password : source.password());
        String schema = text(property, "sync.cluster.schema", DEFAULT_SCHEMA);
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new ConfigException("sync.cluster.schema must be a lower-case Postgres name of letters, digits and _ (got '" + schema + "')");
        }
        String interval = text(property, "sync.cluster.checkin-interval-ms", "5000");
        long checkin;
        try {
            checkin = Long.parseLong(interval);
        } catch (NumberFormatException e) {
            checkin = -1;
        }
        if (checkin < 500) {
            throw new ConfigException("sync.cluster.checkin-interval-ms must be a whole number of 500 or more (got '" + interval + "')");
        }
        return new ClusterSettings(Boolean.parseBoolean(enabled), database, schema, checkin);
    }

    private static String text(Function<String, Optional<String>> property, String key, String fallback) {
        return property.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
    }
}
