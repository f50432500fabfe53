package io.pgturso.target;

import io.pgturso.transform.RowKey;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Durable, inspectable store of failed rows, in the target database (table {@code pgturso_dead_letters}). */
public class DeadLetterStore {
    /** The dead-letter table in the target database. */
    public static final String TABLE = "pgturso_dead_letters";
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (sync_table TEXT NOT NULL, "
            + "row_key TEXT NOT NULL, stage TEXT NOT NULL, error TEXT NOT NULL, row_json TEXT, "
            + "attempts INTEGER NOT NULL, first_failed_at TEXT NOT NULL, last_failed_at TEXT NOT NULL, lsn INTEGER, "
            + "tenant_database TEXT, "
            + "PRIMARY KEY (sync_table, row_key))";
    private static final String RECORD = "INSERT INTO " + TABLE
            + " (sync_table, row_key, stage, error, row_json, attempts, first_failed_at, last_failed_at, lsn, tenant_database) "
            + "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (sync_table, row_key) DO UPDATE SET stage = excluded.stage, "
            + "error = excluded.error, row_json = excluded.row_json, attempts = attempts + 1, "
            + "last_failed_at = excluded.last_failed_at, lsn = excluded.lsn, tenant_database = excluded.tenant_database";
    private static final String SELECT = "SELECT sync_table, row_key, stage, error, row_json, attempts, first_failed_at, "
            + "last_failed_at FROM " + TABLE;

    private final JdbcTemplate target;

    public DeadLetterStore(JdbcTemplate target) {
        this.target = target;
    }

    /** Creates the dead-letter table if needed (and adds {@code lsn} and {@code tenant_database} to one made by an older version). */
    public void createTable() {
        target.execute(CREATE);
        List<String> columns = target.query("PRAGMA table_info(" + TABLE + ")", (rs, i) -> rs.getString("name"));
        if (!columns.contains("lsn")) {
            target.execute("ALTER TABLE " + TABLE + " ADD COLUMN lsn INTEGER");
        }
        if (!columns.contains("tenant_database")) {
            target.execute("ALTER TABLE " + TABLE + " ADD COLUMN tenant_database TEXT");
        }
    }

    /** Records a failure; a row that fails again keeps one entry whose attempts count up. */
    public void record(String table, RowKey key, String rowJson, String stage, String error) {
        write(table, key, rowJson, stage, error, null, null);
    }

    /**
     * As {@link #record(String, RowKey, String, String, String)} for a change of the stream: {@code lsn} is where its
     * transaction committed in Postgres' WAL (a later change of the row, written, closes the dead letter).
     */
    public void record(String table, RowKey key, String rowJson, String stage, String error, Long lsn) {
        write(table, key, rowJson, stage, error, lsn, null);
    }

    /** As above, for a row of a table with fan-out that its tenant's database ({@code tenantDatabase}) refused. */
    public void record(String table, RowKey key, String rowJson, String stage, String error, String tenantDatabase) {
        write(table, key, rowJson, stage, error, null, tenantDatabase);
    }

    /** As above, for a change of the stream of a table with fan-out: where it committed, and its tenant's database. */
    public void record(String table, RowKey key, String rowJson, String stage, String error, Long lsn, String tenantDatabase) {
        write(table, key, rowJson, stage, error, lsn, tenantDatabase);
    }

    private void write(String table, RowKey key, String rowJson, String stage, String error, Long lsn, String tenantDatabase) {
        String now = Instant.now().toString();
        target.update(RECORD, table, key.json(), stage, error, rowJson, now, now, lsn, tenantDatabase);
    }

    /** The keys (as stored, JSON) of one table's open dead letters. */
    public java.util.Set<String> keys(String table) {
        return new java.util.HashSet<>(target.queryForList("SELECT row_key FROM " + TABLE + " WHERE sync_table = ?",
                String.class, table));
    }

    /** Open dead letters of one table. */
    public long count(String table) {
        Long n = target.queryForObject("SELECT count(*) FROM " + TABLE + " WHERE sync_table = ?", Long.class, table);
        return n == null ? 0 : n;
    }

    /** The dead letters of one table, oldest first. */
    public List<DeadLetter> list(String table) {
        return target.query(SELECT + " WHERE sync_table = ? ORDER BY first_failed_at", (rs, i) -> new DeadLetter(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getString(7), rs.getString(8)), table);
    }

    /** Up to {@code limit} dead letters of one table with a key after {@code afterKey} (null: from the first), in key order. */
    public List<DeadLetter> page(String table, String afterKey, int limit) {
        String after = afterKey == null ? "" : " AND row_key > ?";
        Object[] args = afterKey == null ? new Object[] {table, limit} : new Object[] {table, afterKey, limit};
        return target.query(SELECT + " WHERE sync_table = ?" + after + " ORDER BY row_key LIMIT ?", (rs, i) -> new DeadLetter(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getString(7), rs.getString(8)), args);
    }

    /** Removes one dead letter (its row was written after all). */
    public void delete(String table, String key) {
        target.update("DELETE FROM " + TABLE + " WHERE sync_table = ? AND row_key = ?", table, key);
    }

    /** Removes the dead letters of rows that have now been written. */
    public void deleteAll(String table, Collection<RowKey> keys) {
        if (keys.isEmpty()) {
            return;
        }
        target.batchUpdate("DELETE FROM " + TABLE + " WHERE sync_table = ? AND row_key = ?",
                keys.stream().map(k -> new Object[] {table, k.json()}).toList());
    }
}
