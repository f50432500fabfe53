package io.pgturso.ops;

import io.pgturso.config.ConnectionSettings;
import io.pgturso.config.Redaction;
import io.pgturso.failure.SyncFailures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Tries a database with the driver itself (not the pool, whose timeout hides the cause): one connection, {@code SELECT 1}. */
public final class Reachability {
    private Reachability() {
    }

    /** Why the database cannot be reached (passwords and tokens redacted), or null when it answers. */
    public static String problem(ConnectionSettings settings, String jdbcUrl, Properties login) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, login); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return null;
        } catch (SQLException | RuntimeException e) {
            return Redaction.text(SyncFailures.describe(e), settings.source().password(), settings.targetAuthToken());
        }
    }
}
