package io.pgturso.target;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Durable per-table checkpoints, kept in the target database (table {@code pgturso_checkpoints}). */
public class CheckpointStore {
    static final String TABLE = "pgturso_checkpoints";
    /** Positions are JSON arrays of strings: Jackson's streaming API, as a databind mapper takes a tenth of a second to make at start. */
    private static final JsonFactory JSON = new JsonFactory();
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (sync_table TEXT PRIMARY KEY, "
            + "position TEXT, rows_written INTEGER NOT NULL DEFAULT 0, rows_dead_lettered INTEGER NOT NULL DEFAULT 0, "
            + "updated_at TEXT NOT NULL, made_for TEXT)";
    private static final String SAVE = "INSERT INTO " + TABLE
            + " (sync_table, position, rows_written, rows_dead_lettered, updated_at, made_for) VALUES (?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (sync_table) DO UPDATE SET position = excluded.position, made_for = excluded.made_for, "
            + "rows_written = rows_written + excluded.rows_written, "
            + "rows_dead_lettered = rows_dead_lettered + excluded.rows_dead_lettered, updated_at = excluded.updated_at";

    private final JdbcTemplate target;

    public CheckpointStore(JdbcTemplate target) {
        this.target = target;
    }

    /** Creates the checkpoint table if needed (and adds {@code made_for} to one made by an older version). */
    public void createTable() {
        target.execute(CREATE);
        List<String> columns = target.query("PRAGMA table_info(" + TABLE + ")", (rs, i) -> rs.getString("name"));
        if (!columns.contains("made_for")) {
            target.execute("ALTER TABLE " + TABLE + " ADD COLUMN made_for TEXT");
        }
    }

    /**
     * What a checkpoint of {@code spec} is made for: mode, cursor, key and the target columns with their Postgres types
     * and mappings. A checkpoint made for anything else does not fit ({@link Checkpoint#fits}): a changed column list or
     * type means values the target never received (a new column, {@code numeric(10,2)} now {@code numeric(10,4)}), so
     * the table is copied again.
     */
    public static String identity(TableSpec spec) {
        return "mode=" + spec.mode().name().toLowerCase() + "; cursor=" + (spec.cursor() == null ? "" : spec.cursor().source())
                + "; key=" + String.join(",", spec.key().stream().map(ColumnSpec::source).toList())
                + "; columns=" + String.join(",", spec.targetColumns().stream()
                        .map(c -> c.target() + " " + c.declaredType() + " as " + c.kind().name().toLowerCase()).toList());
    }

    /** Forgets the table's position (totals stay): its next pass copies every row again. True if it had one. */
    public boolean reset(String table) {
        return target.update("UPDATE " + TABLE + " SET position = NULL, made_for = NULL, updated_at = ? WHERE sync_table = ?",
                Instant.now().toString(), table) > 0;
    }

    /** The table's checkpoint, or {@link Checkpoint#NONE}. */
    public Checkpoint load(String table) {
        List<Checkpoint> found = target.query("SELECT position, rows_written, rows_dead_lettered, updated_at, made_for FROM "
                + TABLE + " WHERE sync_table = ?", (rs, i) -> new Checkpoint(parse(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                rs.getString(4), rs.getString(5)), table);
        return found.isEmpty() ? Checkpoint.NONE : found.get(0);
    }

    /** Moves the table's position and adds the page's counts; a {@code null} position restarts from the beginning. */
    public void save(String table, List<String> position, long written, long deadLettered) {
        save(table, position, written, deadLettered, null);
    }

    /** As {@link #save(String, List, long, long)}, noting what the position was made for ({@link #identity}). */
    public void save(String table, List<String> position, long written, long deadLettered, String madeFor) {
        target.update(SAVE, table, position == null ? null : json(position), written, deadLettered, Instant.now().toString(),
                madeFor);
    }

    private static String json(List<String> position) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (String value : position) {
                g.writeString(value);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static List<String> parse(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("not an array");
            }
            List<String> values = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null || t.isStructStart()) {
                    throw new IOException("not an array of values");
                }
                values.add(t == JsonToken.VALUE_NULL ? null : p.getText());
            }
            if (p.nextToken() != null) {
                throw new IOException("text after the array");
            }
            return values;
        } catch (IOException e) {
            throw new IllegalStateException("Checkpoint position is not valid JSON: " + json
                    + "; reset it with: reset-checkpoint --table NAME", e);
        }
    }
}
