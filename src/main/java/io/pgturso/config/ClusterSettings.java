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
    public static final String DEFAULT_SCHEMA = Settings.CLUSTER_SCHEMA.defaultValue();
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Reads the settings; {@code source} supplies the defaults of the connection. */
    public static ClusterSettings read(Function<String, Optional<String>> property, PostgresUrl source) {
        String enabled = text(property, Settings.CLUSTER_ENABLED.name(), Settings.CLUSTER_ENABLED.defaultValue());
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new ConfigException("sync.cluster.enabled must be true or false (got '" + enabled + "')");
        }
        String url = text(property, Settings.CLUSTER_URL.name(), null);
        String user = text(property, Settings.CLUSTER_USER.name(), null);
        String password = text(property, Settings.CLUSTER_PASSWORD.name(), null);
        PostgresUrl database = url == null ? source
                : PostgresUrl.parse(url, user != null ? user : source.user(), password != null ? password : source.password());
        String schema = text(property, Settings.CLUSTER_SCHEMA.name(), Settings.CLUSTER_SCHEMA.defaultValue());
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new ConfigException("sync.cluster.schema must be a lower-case Postgres name of letters, digits and _ (got '" + schema + "')");
        }
        String interval = text(property, Settings.CLUSTER_CHECKIN.name(), Settings.CLUSTER_CHECKIN.defaultValue());
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
