package io.pgturso.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Durable per-table checkpoints, kept in the target database (table {@code pgturso_checkpoints}). */
public class CheckpointStore {
    static final String TABLE = "pgturso_checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (sync_table TEXT PRIMARY KEY, "
            + "position TEXT, rows_written INTEGER NOT NULL DEFAULT 0, rows_dead_lettered INTEGER NOT NULL DEFAULT 0, "
            + "updated_at TEXT NOT NULL)";
    private static final String SAVE = "INSERT INTO " + TABLE
            + " (sync_table, position, rows_written, rows_dead_lettered, updated_at) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT (sync_table) DO UPDATE SET position = excluded.position, "
            + "rows_written = rows_written + excluded.rows_written, "
            + "rows_dead_lettered = rows_dead_lettered + excluded.rows_dead_lettered, updated_at = excluded.updated_at";

    private final JdbcTemplate target;

    public CheckpointStore(JdbcTemplate target) {
        this.target = target;
    }

    /** Creates the checkpoint table if needed. */
    public void createTable() {
        target.execute(CREATE);
    }

    /** The table's checkpoint, or {@link Checkpoint#NONE}. */
    public Checkpoint load(String table) {
        List<Checkpoint> found = target.query("SELECT position, rows_written, rows_dead_lettered, updated_at FROM " + TABLE
                + " WHERE sync_table = ?", (rs, i) -> new Checkpoint(parse(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                rs.getString(4)), table);
        return found.isEmpty() ? Checkpoint.NONE : found.get(0);
    }

    /** Moves the table's position and adds the page's counts; a {@code null} position restarts from the beginning. */
    public void save(String table, List<String> position, long written, long deadLettered) {
        target.update(SAVE, table, position == null ? null : json(position), written, deadLettered, Instant.now().toString());
    }

    private static String json(List<String> position) {
        try {
            return JSON.writeValueAsString(position);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Checkpoint position is not valid JSON: " + json, e);
        }
    }
}
