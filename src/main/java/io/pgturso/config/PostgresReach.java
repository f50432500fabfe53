package io.pgturso.config;

import io.pgturso.sync.SyncFailures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Opens one connection to the source with the driver itself (not the pool, whose timeout hides the cause). */
public final class PostgresReach {
    private PostgresReach() {
    }

    /** Throws a {@link ConfigException} naming the server, the cause and the settings to check when Postgres cannot be reached. */
    public static void check(SyncSettings settings) {
        Properties login = new Properties();
        if (settings.source().user() != null) {
            login.setProperty("user", settings.source().user());
        }
        if (settings.source().password() != null) {
            login.setProperty("password", settings.source().password());
        }
        login.setProperty("connectTimeout", "10");
        try (Connection c = DriverManager.getConnection(settings.source().jdbcUrl(), login); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException | RuntimeException e) {
            throw new ConfigException("Cannot connect to Postgres at " + settings.source() + ": "
                    + Redaction.text(SyncFailures.describe(e), settings.source().password(), settings.targetAuthToken())
                    + " (check sync.source.url / DATABASE_URL (and sync.source.user, sync.source.password / PGPASSWORD))", e);
        }
    }
}
