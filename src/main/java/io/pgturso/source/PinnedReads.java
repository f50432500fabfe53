package io.pgturso.source;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool the pages are read from, or, on a thread that pinned one, that thread's own session: a copy that must read
 * every page inside one transaction (the change stream's snapshot) pins the session holding it while its pass runs.
 * The pass's steps read on the thread that runs it, so nothing else of the pass needs to know.
 */
public final class PinnedReads implements DataSource {
    private final DataSource pool;
    private final ThreadLocal<Connection> pinned = new ThreadLocal<>();

    public PinnedReads(DataSource pool) {
        this.pool = pool;
    }

    /** Reads on this thread go to {@code session} (left open: the caller ends it) until the result is closed. */
    public AutoCloseable pin(Connection session) {
        pinned.set(session);
        return pinned::remove;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection session = pinned.get();
        return session == null ? pool.getConnection() : unclosable(session);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return pinned.get() == null ? pool.getConnection(user, password) : getConnection();
    }

    /** The pinned session as its readers see it: closing it does nothing, the transaction stays. */
    private static Connection unclosable(Connection session) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(session, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
