package io.pgturso.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGProperty;

/**
 * Opens the Postgres sessions change streaming needs: ordinary ones (checks, publication, slot status, heartbeats)
 * and replication ones ({@code replication=database}, for the slot and the stream). Not pooled: a replication
 * session holds a slot or an exported snapshot for as long as it is open, and closing it must release them.
 */
public final class CdcConnections {
    /** The sessions' application_name: other sessions tell the sync's own apart by its prefix. */
    public static final String APPLICATION_NAME = "pg-turso-sync cdc";
    /**
     * Session settings of the stream, the same as the polling mode's source sessions: Postgres writes the text of the
     * values it streams with them, so dates, times, intervals and floats read the same in both modes.
     */
    public static final String DEFAULT_SESSION = "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; "
            + "SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String session;

    /** Sessions on {@code jdbcUrl} ({@code jdbc:postgresql:...}) with the default session settings. */
    public CdcConnections(String jdbcUrl, String user, String password) {
        this(jdbcUrl, user, password, DEFAULT_SESSION);
    }

    /** As above; {@code session} (SET statements separated by {@code ;}) is run first on every replication session. */
    public CdcConnections(String jdbcUrl, String user, String password, String session) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("Change streaming needs a jdbc:postgresql: URL, got '" + jdbcUrl + "'");
        }
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.session = session == null ? "" : session;
    }

    /** An ordinary session, autocommit. */
    public Connection open() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, properties());
    }

    /** A replication session in database mode, with the session settings applied; no replication command run yet. */
    public Connection openReplication() throws SQLException {
        Properties properties = properties();
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        try (Statement statement = connection.createStatement()) {
            for (String set : session.split(";")) {
                if (!set.isBlank()) {
                    statement.execute(set.trim());
                }
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private Properties properties() {
        Properties properties = new Properties();
        if (user != null) {
            PGProperty.USER.set(properties, user);
        }
        if (password != null) {
            PGProperty.PASSWORD.set(properties, password);
        }
        PGProperty.APPLICATION_NAME.set(properties, APPLICATION_NAME);
        PGProperty.CONNECT_TIMEOUT.set(properties, 10);
        PGProperty.TCP_KEEP_ALIVE.set(properties, true);
        return properties;
    }

    /** The JDBC URL (no credentials in it unless the caller put them there). */
    public String jdbcUrl() {
        return jdbcUrl;
    }
}
