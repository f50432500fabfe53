package io.pgturso.ops;

import io.pgturso.config.ConfigException;
import io.pgturso.config.ConnectionSettings;

/** Opens one connection to the source with the driver itself (not the pool, whose timeout hides the cause). */
public final class PostgresReach {
    private PostgresReach() {
    }

    /** Throws a {@link ConfigException} naming the server, the cause and the settings to check when Postgres cannot be reached. */
    public static void check(ConnectionSettings settings) {
        String problem = Reachability.problem(settings, settings.source().jdbcUrl(), settings.sourceLogin(10));
        if (problem != null) {
            throw new ConfigException("Cannot connect to Postgres at " + settings.source() + ": " + problem
                    + " (check sync.source.url / DATABASE_URL (and sync.source.user, sync.source.password / PGPASSWORD))");
        }
    }
}
