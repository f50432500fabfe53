package io.pgturso.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass per table at a time, across every process syncing the same target: a Postgres advisory lock per target
 * table, taken on a session of its own when the pass starts and released when the pass's exchange is done (or when the
 * process dies, as Postgres ends its session).
 */
public class TableLocks {
    /** First half of every lock key: tells this project's advisory locks from other applications'. */
    static final int LOCK_CLASS = 0x70677473;
    private static final Logger LOG = LoggerFactory.getLogger("io.pgturso.sync");
    private static final String HOLDER = """
            SELECT a.pid, coalesce(host(a.client_addr), 'local socket'), to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.classid = ? AND l.objid = ? AND l.objsubid = 2 AND l.granted""";

    private final TableRegistry tables;
    private final DataSource sessions;
    private final String target;

    /**
     * @param sessions unpooled Postgres connections: each lock lives on its own session, closed with the pass
     * @param target the target database's identity (its URL), so that passes into other targets do not wait
     */
    public TableLocks(TableRegistry tables, DataSource sessions, String target) {
        this.tables = tables;
        this.sessions = sessions;
        this.target = target;
    }

    /** Takes the table's lock for the exchange's pass, or refuses the pass with {@link TableBusyException}. */
    public void acquire(Exchange exchange) throws SQLException {
        String routeId = exchange.getFromRouteId();
        TableConfig config = tables.config(routeId)
                .orElseThrow(() -> new IllegalStateException("Route '" + routeId + "' is not a table-sync route"));
        String targetTable = targetTable(config);
        int key = key(target, targetTable);
        Connection session = sessions.getConnection();
        try {
            session.setAutoCommit(true);
            if (!tryLock(session, key)) {
                String holder = holder(session, key);
                throw new TableBusyException(routeId + ": another pg-turso-sync process is syncing target table '" + targetTable
                        + "' now (" + holder + "), so this pass is skipped. Run one process per target, "
                        + "or set sync.cluster.enabled=true on every process to share the tables");
            }
        } catch (SQLException | RuntimeException e) {
            close(session, routeId);
            throw e;
        }
        exchange.getExchangeExtension().addOnCompletion(new Release(session, routeId));
    }

    /** The target table a table block writes, as the lock names it. */
    static String targetTable(TableConfig config) {
        if (!config.targetTable().isBlank()) {
            return config.targetTable();
        }
        String table = config.table();
        return table.substring(table.lastIndexOf('.') + 1).replace("\"", "");
    }

    /** The second half of the lock key: a hash of the target and the table, case-insensitive as SQLite names are. */
    static int key(String target, String targetTable) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((target + "\n" + targetTable.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return (hash[0] & 0xff) << 24 | (hash[1] & 0xff) << 16 | (hash[2] & 0xff) << 8 | (hash[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean tryLock(Connection session, int key) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String holder(Connection session, int key) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement(HOLDER)) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "its Postgres session: pid " + rs.getInt(1) + " from " + rs.getString(2) + ", connected " + rs.getString(3)
                        : "its Postgres session has just ended";
            }
        }
    }

    private static void close(Connection session, String routeId) {
        try {
            session.close();
        } catch (SQLException e) {
            // closing the session releases the lock on the server side all the same
            LOG.debug("{}: closing the lock session failed: {}", routeId, e.getMessage());
        }
    }

    /** Ends the lock's session once the pass's exchange is done: after every other completion step of the pass. */
    private static final class Release extends SynchronizationAdapter implements Ordered {
        private final Connection session;
        private final String routeId;

        Release(Connection session, String routeId) {
            this.session = session;
            this.routeId = routeId;
        }

        @Override
        public void onDone(Exchange exchange) {
            close(session, routeId);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST;
        }
    }
}
