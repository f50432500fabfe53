package io.pgturso.target;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * One of many databases (a tenant's), opened without a pool: thousands of them must not mean thousands of pools and
 * their threads. A file is one connection, used by one writer at a time; a server is reached through the driver alone.
 */
public abstract class SingleDatabase implements DataSource, AutoCloseable {
    /** Closes what it holds open (a file's connection); later {@link #getConnection()} calls open it again. */
    @Override
    public abstract void close();

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // nothing is logged through this
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // fixed by the target's kind
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
