package io.pgturso.target;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The last finished pass of each full-mode table (table {@code pgturso_full_passes} in the target): when it ended, rows
 * read and rows that differed, so {@code status} and {@code plan} can tell how fresh the copy is and what a pass costs.
 */
public class FullPasses {
    static final String TABLE = "pgturso_full_passes";
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (sync_table TEXT PRIMARY KEY, "
            + "finished_at TEXT NOT NULL, rows_read INTEGER NOT NULL, rows_differed INTEGER NOT NULL)";

    /** One table's last full pass: when it ended, rows read from Postgres, rows written or deleted. */
    public record Last(Instant finishedAt, long rowsRead, long rowsDiffered) {
    }

    private final JdbcTemplate target;

    public FullPasses(JdbcTemplate target) {
        this.target = target;
    }

    /** Records a finished pass of {@code table}. */
    public void record(String table, long rowsRead, long rowsDiffered) {
        target.execute(CREATE);
        target.update("INSERT INTO " + TABLE + " (sync_table, finished_at, rows_read, rows_differed) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (sync_table) DO UPDATE SET finished_at = excluded.finished_at, rows_read = excluded.rows_read, "
                + "rows_differed = excluded.rows_differed", table, Instant.now().toString(), rowsRead, rowsDiffered);
    }

    /** The last finished pass of {@code table}, or null when none is recorded (reads only: creates nothing). */
    public Last last(String table) {
        Long exists = target.queryForObject("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", Long.class, TABLE);
        if (exists == null || exists == 0) {
            return null;
        }
        List<Last> found = target.query("SELECT finished_at, rows_read, rows_differed FROM " + TABLE + " WHERE sync_table = ?",
                (rs, i) -> new Last(Instant.parse(rs.getString(1)), rs.getLong(2), rs.getLong(3)), table);
        return found.isEmpty() ? null : found.get(0);
    }
}
