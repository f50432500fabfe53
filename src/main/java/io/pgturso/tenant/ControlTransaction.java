package io.pgturso.tenant;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs a piece of control-database work in one transaction: one commit for a page's entries, not one per entry. */
final class ControlTransaction {
    private ControlTransaction() {
    }

    /** The work that runs inside the transaction. */
    interface Work {
        void run() throws SQLException;
    }

    /** Runs {@code work} with auto-commit off, commits, or rolls back on failure; the connection's mode is restored. */
    static Void run(Connection c, Work work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return null;
    }
}
