package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** The logical replication slot: checked, created with an exported snapshot, described, dropped. */
final class ReplicationSlots {
    private ReplicationSlots() {
    }

    static void check(Connection connection, String slot, int version, List<String> problems) throws SQLException {
        String sql = "SELECT plugin, database, " + (version >= 130_000 ? "wal_status" : "NULL")
                + ", current_database() FROM pg_replication_slots WHERE slot_name = ?";
        String drop = "drop it with SELECT pg_drop_replication_slot('" + slot + "')";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    freeSlot(connection, problems);
                } else if (!"pgoutput".equals(rs.getString(1))) {
                    problems.add("Replication slot " + slot + " is not a pgoutput logical slot (plugin "
                            + rs.getString(1) + "): " + drop + ", or name another slot");
                } else if (!rs.getString(4).equals(rs.getString(2))) {
                    problems.add("Replication slot " + slot + " belongs to database " + rs.getString(2)
                            + ", not " + rs.getString(4) + ": name another slot");
                } else if ("lost".equals(rs.getString(3))) {
                    problems.add("Replication slot " + slot + " was invalidated (Postgres removed WAL it still needed, "
                            + "see max_slot_wal_keep_size): " + drop + ", then start again to copy the tables anew");
                }
            }
        }
    }

    private static void freeSlot(Connection connection, List<String> problems) throws SQLException {
        int max = ReplicationChecks.intQuery(connection, "SELECT current_setting('max_replication_slots')::int");
        int used = ReplicationChecks.intQuery(connection, "SELECT count(*)::int FROM pg_replication_slots");
        if (used >= max) {
            problems.add("All " + max + " replication slots are in use: run ALTER SYSTEM SET max_replication_slots = "
                    + (max + 10) + " and restart Postgres, or drop a slot no longer read");
        }
    }

    /**
     * Creates the slot on a new replication session and exports a snapshot consistent with it; the session stays
     * open in the handle. A temporary slot disappears with that session.
     */
    static SnapshotHandle createWithSnapshot(CdcConnections connections, String slot, boolean temporary)
            throws SQLException {
        Connection replication = connections.openReplication();
        try {
            int major = replication.getMetaData().getDatabaseMajorVersion();
            String sql = "CREATE_REPLICATION_SLOT " + Identifiers.sql(slot) + (temporary ? " TEMPORARY" : "")
                    + " LOGICAL pgoutput " + (major >= 15 ? "(SNAPSHOT 'export')" : "EXPORT_SNAPSHOT");
            try (Statement s = replication.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return new SnapshotHandle(replication, rs.getString("slot_name"),
                        Lsn.parse(rs.getString("consistent_point")), rs.getString("snapshot_name"), temporary);
            }
        } catch (SQLException | RuntimeException e) {
            replication.close();
            if (e instanceof SQLException sql && "42710".equals(sql.getSQLState())) {
                throw new SQLException("Replication slot " + slot + " already exists: its snapshot was taken when it "
                        + "was created; drop it to take a new one", sql.getSQLState(), e);
            }
            throw e;
        }
    }

    static Optional<SlotInfo> info(Connection connection, String slot) throws SQLException {
        boolean v13 = ReplicationChecks.intQuery(connection, "SELECT current_setting('server_version_num')::int") >= 130_000;
        String sql = """
                SELECT s.slot_name, s.plugin, s.database, s.active, s.active_pid,
                       a.application_name || coalesce(' @ ' || host(a.client_addr), ''),
                       s.restart_lsn::text, s.confirmed_flush_lsn::text, pg_current_wal_lsn()::text,
                       pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint,
                       pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint, %s
                FROM pg_replication_slots s LEFT JOIN pg_stat_activity a ON a.pid = s.active_pid
                WHERE s.slot_name = ?""".formatted(v13
                ? "s.wal_status, s.safe_wal_size, current_setting('max_slot_wal_keep_size') = '-1'"
                : "NULL, NULL, true");
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Integer pid = (Integer) rs.getObject(5);
                Long safe = rs.getObject(13) == null ? null : rs.getLong(13);
                return Optional.of(new SlotInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        pid, rs.getString(6), lsn(rs.getString(7)), lsn(rs.getString(8)), lsn(rs.getString(9)),
                        rs.getLong(10), rs.getLong(11), rs.getString(12), safe, rs.getBoolean(14)));
            }
        }
    }

    /** Drops the slot if it exists; refused while a session streams from it. */
    static boolean drop(Connection connection, String slot) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            if ("55006".equals(e.getSQLState())) {
                throw new SQLException("Replication slot " + slot + " is being read (" + e.getMessage()
                        + "): stop that reader first", e.getSQLState(), e);
            }
            throw e;
        }
    }

    private static long lsn(String text) {
        return text == null ? Lsn.NONE : Lsn.parse(text);
    }
}
