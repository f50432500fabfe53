package io.pgturso.cdc.apply;

import io.pgturso.cdc.pgoutput.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where the change stream stands, kept in the target with the rows it wrote: per slot the position of the last
 * transaction applied ({@code pgturso_cdc}, written in the same target transaction as that transaction's rows), and
 * per table the position of the snapshot it was copied from and what the copy was made for ({@code pgturso_cdc_tables}).
 */
public class CdcPositions {
    /** The slot's stored position. */
    public static final String TABLE = "pgturso_cdc";
    /** The tables' copies. */
    public static final String TABLES = "pgturso_cdc_tables";
    private static final String STORE = "INSERT INTO " + TABLE + " (slot, lsn, lsn_text, commit_time, updated_at) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (slot) DO UPDATE SET lsn = excluded.lsn, lsn_text = excluded.lsn_text, "
            + "commit_time = excluded.commit_time, updated_at = excluded.updated_at";
    private static final String COPIED = "INSERT INTO " + TABLES + " (slot, sync_table, copied_lsn, made_for, copied_at, "
            + "stopped) VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (slot, sync_table) DO UPDATE SET copied_lsn = "
            + "excluded.copied_lsn, made_for = excluded.made_for, copied_at = excluded.copied_at, stopped = NULL";

    private final JdbcTemplate target;
    private Consumer<String> elsewhere = slot -> { };

    public CdcPositions(JdbcTemplate target) {
        this.target = target;
    }

    /** A table's copy: from the snapshot at {@code lsn}, made for {@code madeFor}; {@code stopped} says why it is stopped, or null. */
    public record Copy(long lsn, String madeFor, String copiedAt, String stopped) {
    }

    /** Creates the slot's position table if needed (also each tenant database's, streamed into: its one row of sync state). */
    static final String POSITION_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (slot TEXT PRIMARY KEY, lsn INTEGER NOT NULL, "
            + "lsn_text TEXT NOT NULL, commit_time TEXT, updated_at TEXT NOT NULL)";

    /** Creates the tables if needed. */
    public void createTables() {
        target.execute(POSITION_TABLE);
        target.execute("CREATE TABLE IF NOT EXISTS " + TABLES + " (slot TEXT NOT NULL, sync_table TEXT NOT NULL, "
                + "copied_lsn INTEGER NOT NULL, made_for TEXT NOT NULL, copied_at TEXT NOT NULL, stopped TEXT, "
                + "PRIMARY KEY (slot, sync_table))");
    }

    /** Whether the tables exist (a target never streamed into has none; status and plan create nothing). */
    public boolean exists() {
        return !target.queryForList("SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = ?", String.class,
                TABLE).isEmpty();
    }

    /** The position stored for the slot, or {@link Lsn#NONE}. */
    public long load(String slot) {
        List<Long> found = target.queryForList("SELECT lsn FROM " + TABLE + " WHERE slot = ?", Long.class, slot);
        return found.isEmpty() ? Lsn.NONE : found.get(0);
    }

    /** The slot's stored position and when its transaction committed, or null. */
    public Map<String, Object> describe(String slot) {
        List<Map<String, Object>> found = target.queryForList("SELECT lsn_text, commit_time, updated_at FROM " + TABLE
                + " WHERE slot = ?", slot);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Stores the position on {@code connection}, inside the transaction that writes the rows up to it. */
    void store(Connection connection, String slot, long lsn, Instant commitTime) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(STORE)) {
            ps.setString(1, slot);
            ps.setLong(2, lsn);
            ps.setString(3, Lsn.format(lsn));
            ps.setString(4, commitTime == null ? null : commitTime.toString());
            ps.setString(5, Instant.now().toString());
            ps.executeUpdate();
        }
    }

    /** The tables' copies, by target table. */
    public Map<String, Copy> copies(String slot) {
        Map<String, Copy> out = new HashMap<>();
        target.query("SELECT sync_table, copied_lsn, made_for, copied_at, stopped FROM " + TABLES + " WHERE slot = ?",
                rs -> {
                    out.put(rs.getString(1), new Copy(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }, slot);
        return out;
    }

    /** Records a table's finished copy (its changes from {@code lsn} on come from the stream). */
    public void copied(String slot, String table, long lsn, String madeFor) {
        target.update(COPIED, slot, table, lsn, madeFor, Instant.now().toString());
    }

    /** Records, on {@code connection}, a table copied with the others at the first start (in the transaction storing the slot's first position). */
    void copied(Connection connection, String slot, String table, long lsn, String madeFor) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(COPIED)) {
            ps.setString(1, slot);
            ps.setString(2, table);
            ps.setLong(3, lsn);
            ps.setString(4, madeFor);
            ps.setString(5, Instant.now().toString());
            ps.executeUpdate();
        }
    }

    /** Marks a table stopped: its changes are skipped until a copy (resync) replaces it. */
    public void stopped(String slot, String table, String why) {
        target.update("UPDATE " + TABLES + " SET stopped = ? WHERE slot = ? AND sync_table = ?", why, slot, table);
    }

    /** Forgets a table's copy: the stream copies it again. */
    public void forget(String slot, String table) {
        target.update("DELETE FROM " + TABLES + " WHERE slot = ? AND sync_table = ?", slot, table);
    }

    /** Also forgets the slot's position wherever else it is kept (the tenant databases streamed into), first. */
    void alsoForgetIn(Consumer<String> elsewhere) {
        this.elsewhere = elsewhere;
    }

    /**
     * Forgets the slot's position and copies (its slot is gone: streaming again starts with new copies), in the tenant
     * databases first: a position left there could name a transaction of the new slot that was never applied.
     */
    public void forget(String slot) {
        elsewhere.accept(slot);
        target.update("DELETE FROM " + TABLE + " WHERE slot = ?", slot);
        target.update("DELETE FROM " + TABLES + " WHERE slot = ?", slot);
    }
}
