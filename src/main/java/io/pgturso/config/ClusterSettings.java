package io.pgturso.config;

import java.util.Optional;
import java.util.function.Function;

/**
 * {@code sync.cluster.*}: several processes sharing the tables through Quartz's clustered job store in Postgres.
 * The connection defaults to the source's server and database, with a pool of its own that may write.
 */
public record ClusterSettings(boolean enabled, PostgresUrl database, String schema, long checkinIntervalMillis) {
    /** Default schema of Quartz's tables. */
    public static final String DEFAULT_SCHEMA = Settings.CLUSTER_SCHEMA.defaultValue();

    /** Reads the settings, each checked as {@link Settings} declares it; {@code source} supplies the connection's defaults. */
    public static ClusterSettings read(Function<String, Optional<String>> property, PostgresUrl source) {
        boolean enabled = Boolean.parseBoolean(checked(property, Settings.CLUSTER_ENABLED));
        String url = checked(property, Settings.CLUSTER_URL);
        String user = checked(property, Settings.CLUSTER_USER);
        String password = checked(property, Settings.CLUSTER_PASSWORD);
        PostgresUrl database = url == null ? source
                : PostgresUrl.parse(url, user != null ? user : source.user(), password != null ? password : source.password());
        return new ClusterSettings(enabled, database, checked(property, Settings.CLUSTER_SCHEMA),
                Long.parseLong(checked(property, Settings.CLUSTER_CHECKIN)));
    }

    /** The configured value, else the default; a value the setting refuses is a {@link ConfigException} naming it. */
    private static String checked(Function<String, Optional<String>> property, Setting setting) {
        String value = property.apply(setting.name()).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
        if (value == null) {
            return setting.defaultValue();
        }
        String problem = setting.problem(value);
        if (problem != null) {
            throw new ConfigException(setting.name() + " " + problem + " (got '" + setting.shown(value) + "')");
        }
        return value;
    }
}
