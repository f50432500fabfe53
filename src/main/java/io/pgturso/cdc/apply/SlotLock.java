package io.pgturso.cdc.apply;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader per replication slot across every process (Postgres lets one session stream a slot; this one also
 * covers the copy before streaming): a Postgres advisory lock on a session of its own, held while this process reads
 * the slot and released by Postgres when the process dies. Its session's application_name names the holder, for the
 * message of a second process.
 */
final class SlotLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotLock.class);
    /** First half of the lock key: tells these locks from the tables' ({@code TableLocks}) and other applications'. */
    static final int LOCK_CLASS = 0x70676364;
    private static final String HOLDER = """
            SELECT a.pid, coalesce(host(a.client_addr), 'local socket'), to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'),
                a.application_name
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.classid = ? AND l.objid = ? AND l.objsubid = 2 AND l.granted""";

    private final DataSource sessions;
    private final String slot;
    private Connection session;

    /** @param sessions unpooled Postgres sessions: the lock lives as long as its session */
    SlotLock(DataSource sessions, String slot) {
        this.sessions = sessions;
        this.slot = slot;
    }

    /** Takes the lock; false when another process holds it ({@link #holder()} names it). */
    synchronized boolean tryAcquire() throws SQLException {
        if (held()) {
            return true;
        }
        release();
        Connection c = sessions.getConnection();
        try {
            c.setAutoCommit(true);
            try (PreparedStatement name = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                name.setString(1, "pg-turso-sync reader of slot " + slot);
                name.executeQuery().close();
            }
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                lock.setInt(1, LOCK_CLASS);
                lock.setInt(2, key(slot));
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        session = c;
                        return true;
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        return false;
    }

    /** Whether this process holds the lock now (its session is alive). */
    synchronized boolean held() {
        if (session == null) {
            return false;
        }
        try (PreparedStatement ps = session.prepareStatement("SELECT 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            LOG.warn("The lock on slot {} was lost with its Postgres session: {}", slot, e.getMessage());
            return false;
        }
    }

    /** Who holds the lock, in words, for the refusal of a second reader. */
    String holder() throws SQLException {
        try (Connection c = sessions.getConnection(); PreparedStatement ps = c.prepareStatement(HOLDER)) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, key(slot));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "a process whose Postgres session has just ended";
                }
                return "'" + rs.getString(4) + "', Postgres session pid " + rs.getInt(1) + " from " + rs.getString(2)
                        + ", connected " + rs.getString(3);
            }
        }
    }

    /** Releases the lock (ending its session). */
    synchronized void release() {
        if (session != null) {
            try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                ps.executeQuery().close();
            } catch (SQLException ignored) {
                // the session's end releases it all the same
            }
            try {
                session.close();
            } catch (SQLException ignored) {
                // gone already
            }
            session = null;
        }
    }

    @Override
    public void close() {
        release();
    }

    /** The second half of the key: a hash of the slot's name (slot names are unique in a Postgres server). */
    static int key(String slot) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("slot\n" + slot).getBytes(StandardCharsets.UTF_8));
            return (hash[0] & 0xff) << 24 | (hash[1] & 0xff) << 16 | (hash[2] & 0xff) << 8 | (hash[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
