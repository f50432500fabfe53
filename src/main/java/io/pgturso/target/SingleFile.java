package io.pgturso.target;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * A local file as one connection, opened on first use and lent to one user at a time (SQLite has one writer anyway):
 * {@code close()} on the lent connection gives it back. WAL, as the sync's own file target.
 */
final class SingleFile extends SingleDatabase {
    private final Path file;
    private final String jdbcUrl;
    private final ReentrantLock lock = new ReentrantLock(true);
    private Connection connection;

    SingleFile(Path file, String jdbcUrl) {
        this.file = file;
        this.jdbcUrl = jdbcUrl;
    }

    @Override
    public Connection getConnection() throws SQLException {
        lock.lock();
        try {
            if (connection == null || connection.isClosed()) {
                FileTarget.createOwnerOnly(file);
                SQLiteConfig config = new SQLiteConfig();
                config.setJournalMode(SQLiteConfig.JournalMode.WAL);
                config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
                config.setBusyTimeout(30_000);
                connection = config.createConnection(jdbcUrl);
            }
            return lent(connection);
        } catch (SQLException | RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /** The connection as lent: its {@code close()} ends the loan (a transaction left open is rolled back first). */
    private Connection lent(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        giveBack(real);
                        return null;
                    }
                    if (method.getName().equals("isClosed")) {
                        return !lock.isHeldByCurrentThread() || real.isClosed();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void giveBack(Connection real) throws SQLException {
        if (!lock.isHeldByCurrentThread()) {
            return;
        }
        try {
            // a nested loan in the same thread leaves the outer one's transaction alone
            if (lock.getHoldCount() == 1 && !real.isClosed() && !real.getAutoCommit()) {
                real.rollback();
                real.setAutoCommit(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the file's connection once no one holds it (waits for the one who does). */
    @Override
    public void close() {
        lock.lock();
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } catch (SQLException e) {
            // closing: nothing is left to do with it
        } finally {
            lock.unlock();
        }
    }


    @Override
    public String toString() {
        return "file " + file;
    }
}
