package io.pgturso.verify;

import java.time.Instant;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The last {@code verify} result per table, kept in the target (table {@code pgturso_verify_runs}) for the metrics of {@code run}. */
public class VerifyRuns {
    static final String TABLE = "pgturso_verify_runs";
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (sync_table TEXT PRIMARY KEY, "
            + "finished_at TEXT NOT NULL, outcome TEXT NOT NULL, missing INTEGER NOT NULL, extra INTEGER NOT NULL, "
            + "changed INTEGER NOT NULL)";
    private static final String SAVE = "INSERT INTO " + TABLE
            + " (sync_table, finished_at, outcome, missing, extra, changed) VALUES (?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (sync_table) DO UPDATE SET finished_at = excluded.finished_at, outcome = excluded.outcome, "
            + "missing = excluded.missing, extra = excluded.extra, changed = excluded.changed";

    /** The outcomes, as stored and as metric labels. */
    public static final List<String> OUTCOMES = List.of("equal", "different", "failed");

    /** One table's last result: {@code outcome} is one of {@link #OUTCOMES}. */
    public record Run(String table, Instant finishedAt, String outcome, long missing, long extra, long changed) {
    }

    private final JdbcTemplate target;

    public VerifyRuns(JdbcTemplate target) {
        this.target = target;
    }

    /** Records a comparison's result (equal: no differences apart from dead-lettered rows, which are known). */
    public void record(String table, ComparisonResult result) {
        String outcome = result.problem() != null ? "failed" : result.matchesApartFromDeadLetters() ? "equal" : "different";
        save(new Run(table, Instant.now(), outcome, result.missing().count(), result.extra().count(), result.changed().count()));
    }

    /** Records a comparison that could not run. */
    public void recordFailure(String table) {
        save(new Run(table, Instant.now(), "failed", 0, 0, 0));
    }

    private void save(Run run) {
        target.execute(CREATE);
        target.update(SAVE, run.table(), run.finishedAt().toString(), run.outcome(), run.missing(), run.extra(), run.changed());
    }

    /** Every table's last result; none when {@code verify} never ran (the table is missing). */
    public List<Run> all() {
        try {
            return target.query("SELECT sync_table, finished_at, outcome, missing, extra, changed FROM " + TABLE,
                    (rs, i) -> new Run(rs.getString(1), Instant.parse(rs.getString(2)), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6)));
        } catch (DataAccessException e) {
            if (String.valueOf(e.getMostSpecificCause().getMessage()).contains("no such table")) {
                return List.of();
            }
            throw e;
        }
    }
}
