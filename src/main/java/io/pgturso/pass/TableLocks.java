package io.pgturso.pass;

import io.pgturso.failure.TableBusyException;
import io.pgturso.route.RouteNames;
import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.target.TargetIdentity;
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
 * One writer per target table at a time, across every process syncing the same target: a pass, and the commands that
 * must not interleave with one (replay, reset-checkpoint, resync, the delete reconciliation), each take a Postgres
 * advisory lock per target table on a session of its own, released when done (or when the process dies, as Postgres
 * ends its session). The session's application_name names the holder, for the message of whoever is refused.
 */
public class TableLocks {
    /** First half of every lock key: tells this project's advisory locks from other applications'. */
    public static final int LOCK_CLASS = 0x70677473;
    /** Start of the application_name of a lock's session; what follows names the holder. */
    private static final String HOLDER_PREFIX = "pg-turso-sync ";
    private static final String PASS = "pass";
    /** How long a pass waits for a command holding its table before it is skipped. */
    static final java.time.Duration COMMAND_WAIT = java.time.Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(TableLocks.class);
    private static final String HOLDER = """
            SELECT a.pid, coalesce(host(a.client_addr), 'local socket'), to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'),
                a.application_name
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.classid = ? AND l.objid = ? AND l.objsubid = 2 AND l.granted""";

    private final TableRegistry tables;
    private final DataSource sessions;
    private final String target;

    /**
     * @param sessions unpooled Postgres connections: each lock lives on its own session, closed with the pass
     * @param target the target database's URL: locks are per target ({@link TargetIdentity}), so passes into other
     *     targets do not wait
     */
    public TableLocks(TableRegistry tables, DataSource sessions, String target) {
        this.tables = tables;
        this.sessions = sessions;
        this.target = target;
    }

    /** Takes the table's lock for the exchange's pass, or refuses the pass with {@link TableBusyException}. */
    @UsedByRoutes("table-sync: bean tableLocks, method acquire")
    public void acquire(Exchange exchange) throws SQLException {
        String routeId = exchange.getFromRouteId();
        TableConfig config = tables.config(routeId)
                .orElseThrow(() -> new IllegalStateException("Route '" + routeId + "' is not a table-sync route"));
        String targetTable = targetTable(config);
        if (exchange.getMessage().getHeader(RouteNames.HELD_LOCK_HEADER) instanceof Held byCommand
                && byCommand.holds(targetTable)) {
            // a command holding the table runs this pass itself (resync of one tenant): the lock is its already
            return;
        }
        Held held = take(targetTable, PASS + " of " + routeId, false, holder -> holder.what().startsWith(PASS)
                ? routeId + ": another pg-turso-sync process is syncing target table '" + targetTable + "' now (" + holder.session()
                        + "), so this pass is skipped. Run one process per target, or set sync.cluster.enabled=true on every "
                        + "process to share the tables"
                : routeId + ": target table '" + targetTable + "' is held by pg-turso-sync " + holder.what() + " now (" + holder.session()
                        + "), so this pass is skipped; the next pass runs once it is done");
        exchange.getExchangeExtension().addOnCompletion(new Release(held));
    }

    /**
     * Takes a target table's lock for a command ({@code what}: e.g. {@code replay}), or refuses it with
     * {@link TableBusyException} naming the holder (a pass, or another command); closing the result releases it.
     */
    public Held hold(String targetTable, String what) throws SQLException {
        return take(targetTable, what, false, refusal(targetTable, what));
    }

    /**
     * As {@link #hold}, but waits up to {@link #COMMAND_WAIT} for the holder first: for work that runs on a schedule
     * beside the passes (the delete reconciliation), which a table synced every few seconds would otherwise starve.
     */
    public Held holdWhenFree(String targetTable, String what) throws SQLException {
        return take(targetTable, what, true, refusal(targetTable, what));
    }

    private static java.util.function.Function<Holder, String> refusal(String targetTable, String what) {
        return holder -> "Target table '" + targetTable + "' is busy: pg-turso-sync " + holder.what()
                + " holds it now (" + holder.session() + "), so " + what + " is refused; run it again once that is done";
    }

    private Held take(String targetTable, String what, boolean waitsForAnyHolder,
            java.util.function.Function<Holder, String> refusal) throws SQLException {
        int key = key(target, targetTable);
        Connection session = sessions.getConnection();
        try {
            session.setAutoCommit(true);
            name(session, HOLDER_PREFIX + what);
            // a pass waits a little for a command (a reconciliation's chunk, a reset): they are short; never for a pass
            boolean passWaits = what.startsWith(PASS);
            if (!tryLock(session, key) && !((waitsForAnyHolder || passWaits && !holder(session, key).what().startsWith(PASS))
                    && awaitLock(session, key))) {
                throw new TableBusyException(refusal.apply(holder(session, key)));
            }
        } catch (SQLException | RuntimeException e) {
            close(session, what);
            throw e;
        }
        return new Held(session, what, targetTable);
    }

    /** The target table a table block writes, as the lock names it. */
    static String targetTable(TableConfig config) {
        if (!config.targetTable().isBlank()) {
            return config.targetTable();
        }
        String table = config.table();
        return table.substring(table.lastIndexOf('.') + 1).replace("\"", "");
    }

    /**
     * The second half of the lock key: a hash of the target's identity ({@link TargetIdentity}, so every spelling of
     * its URL takes the same lock) and the table, case-insensitive as SQLite names are.
     */
    public static int key(String target, String targetTable) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((TargetIdentity.of(target) + "\n"
                    + targetTable.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return (hash[0] & 0xff) << 24 | (hash[1] & 0xff) << 16 | (hash[2] & 0xff) << 8 | (hash[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void name(Connection session, String holder) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            // Postgres keeps 63 bytes of it
            ps.setString(1, holder.length() > 60 ? holder.substring(0, 60) : holder);
            ps.executeQuery().close();
        }
    }

    /** Waits for the lock up to {@link #COMMAND_WAIT}; false when it is still held then. */
    private static boolean awaitLock(Connection session, int key) throws SQLException {
        try (PreparedStatement timeout = session.prepareStatement("SELECT set_config('lock_timeout', ?, false)");
                PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            timeout.setString(1, COMMAND_WAIT.toMillis() + "ms");
            timeout.executeQuery().close();
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, key);
            ps.executeQuery().close();
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                // lock_not_available: the holder is still at it
                return false;
            }
            throw e;
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

    private static Holder holder(Connection session, int key) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement(HOLDER)) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Holder(PASS + " or command", "its Postgres session has just ended");
                }
                String name = rs.getString(4) == null ? "" : rs.getString(4);
                // a holder of an older version names itself "pg-turso-sync": it was a pass
                String what = name.startsWith(HOLDER_PREFIX) ? name.substring(HOLDER_PREFIX.length()) : PASS;
                return new Holder(what, "its Postgres session: pid " + rs.getInt(1) + " from " + rs.getString(2)
                        + ", connected " + rs.getString(3));
            }
        }
    }

    /** Who holds a lock: what it does ({@code pass of orders}, {@code replay}) and its session. */
    private record Holder(String what, String session) {
    }

    private static void close(Connection session, String routeId) {
        try {
            session.close();
        } catch (SQLException e) {
            // closing the session releases the lock on the server side all the same
            LOG.debug("{}: closing the lock session failed: {}", routeId, e.getMessage());
        }
    }

    /**
     * A lock taken: closing it releases it, then ends its session. Postgres ends a closed session after the client has
     * gone, so without the explicit release the next pass of the same table could still find the lock held.
     */
    public static final class Held implements AutoCloseable {
        private final Connection session;
        private final String what;
        private final String targetTable;

        private Held(Connection session, String what, String targetTable) {
            this.session = session;
            this.what = what;
            this.targetTable = targetTable;
        }

        /** Whether this is the lock of {@code table}, still held. */
        boolean holds(String table) {
            try {
                return targetTable.equalsIgnoreCase(table) && !session.isClosed();
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                ps.executeQuery().close();
            } catch (SQLException e) {
                // the session's end releases it all the same, a moment later
                LOG.debug("{}: releasing the lock failed: {}", what, e.getMessage());
            }
            TableLocks.close(session, what);
        }
    }

    /** Ends the lock's session once the pass's exchange is done: after every other completion step of the pass. */
    private static final class Release extends SynchronizationAdapter implements Ordered {
        private final Held held;

        Release(Held held) {
            this.held = held;
        }

        @Override
        public void onDone(Exchange exchange) {
            held.close();
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST;
        }
    }
}
