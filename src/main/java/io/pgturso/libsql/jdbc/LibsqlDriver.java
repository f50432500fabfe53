package io.pgturso.libsql.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * JDBC driver for libSQL servers (Turso Cloud, {@code tursodb --sync-server}, sqld) over Hrana-over-HTTP.
 * URLs: {@code jdbc:libsql://host} (https), {@code jdbc:libsql:https://host[:port]}, {@code jdbc:libsql:http://host:port};
 * properties as listed in {@link LibsqlProperty}, also accepted in the URL query.
 */
public final class LibsqlDriver implements Driver {

    static final String NAME = "libSQL HTTP JDBC driver";
    static final int MAJOR_VERSION = 0;
    static final int MINOR_VERSION = 1;

    static {
        try {
            DriverManager.registerDriver(new LibsqlDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Opens a connection, or answers null for URLs of other drivers (as DriverManager expects). No request is sent:
     * the first statement finds out whether the server and token are good.
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (LibsqlUrl.isFile(url)) {
            LibsqlUrl.parse(url);
        }
        if (!acceptsURL(url)) {
            return null;
        }
        return new LibsqlConnection(ConnectionSettings.from(url, info));
    }

    /** True for the remote forms only; {@code jdbc:libsql:file:} belongs to sqlite-jdbc ({@code jdbc:sqlite:}). */
    @Override
    public boolean acceptsURL(String url) {
        return LibsqlUrl.isRemote(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        Properties given = info == null ? new Properties() : info;
        return Arrays.stream(LibsqlProperty.values()).map(p -> p.info(given)).toArray(DriverPropertyInfo[]::new);
    }

    @Override
    public int getMajorVersion() {
        return MAJOR_VERSION;
    }

    @Override
    public int getMinorVersion() {
        return MINOR_VERSION;
    }

    /** Not fully JDBC compliant: no stored procedures, savepoints or scrollable results. */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw SqlErrors.unsupported("java.util.logging");
    }
}
