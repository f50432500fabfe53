package io.pgturso.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.types.ColumnKind;
import io.pgturso.verify.Bytes;
import io.pgturso.verify.ComparedKey;
import io.pgturso.verify.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Where each table's delete reconciliation stopped, kept in the target (table {@code pgturso_reconcile}). */
public class ReconcilePositions {
    static final String TABLE = "pgturso_reconcile";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (sync_table TEXT PRIMARY KEY, "
            + "position TEXT, rows_deleted INTEGER NOT NULL DEFAULT 0, rounds INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL)";
    private static final String SAVE = "INSERT INTO " + TABLE + " (sync_table, position, rows_deleted, rounds, updated_at) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sync_table) DO UPDATE SET position = excluded.position, "
            + "rows_deleted = rows_deleted + excluded.rows_deleted, rounds = rounds + excluded.rounds, updated_at = excluded.updated_at";

    private final JdbcTemplate target;

    public ReconcilePositions(DataSource target) {
        this.target = new JdbcTemplate(target);
    }

    /** Creates the table if needed. */
    public void createTable() {
        target.execute(CREATE);
    }

    /** The last key reconciled, or null to start from the first key (also when the key definition has changed). */
    public ComparedKey load(TableSpec spec) {
        List<String> found = target.queryForList("SELECT position FROM " + TABLE + " WHERE sync_table = ?", String.class,
                spec.targetTable());
        return found.isEmpty() || found.get(0) == null ? null : parse(spec, found.get(0));
    }

    /** Moves the position (null: the end was reached, start over) and adds the rows deleted. */
    public void save(TableSpec spec, ComparedKey position, long deleted) {
        target.update(SAVE, spec.targetTable(), position == null ? null : json(position), deleted, position == null ? 1 : 0,
                Instant.now().toString());
    }

    /**
     * A table with fan-out: the last entry of the key index reconciled, or null to start from its first entry (also when
     * the table had no fan-out at the last run: a key's position is no entry).
     */
    public TenantKeys.Entry loadEntry(TableSpec spec) {
        List<String> found = target.queryForList("SELECT position FROM " + TABLE + " WHERE sync_table = ?", String.class,
                spec.targetTable());
        if (found.isEmpty() || found.get(0) == null) {
            return null;
        }
        try {
            Map<String, String> entry = JSON.readValue(found.get(0), new TypeReference<Map<String, String>>() { });
            return entry.get("row") == null || entry.get("database") == null ? null
                    : new TenantKeys.Entry(entry.get("row"), entry.get("database"));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A table with fan-out: moves the position to an entry of the key index (null: the end was reached) and adds the rows deleted. */
    public void saveEntry(TableSpec spec, TenantKeys.Entry position, long deleted) {
        String json;
        try {
            json = position == null ? null : JSON.writeValueAsString(Map.of("row", position.key(), "database", position.database()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        target.update(SAVE, spec.targetTable(), json, deleted, position == null ? 1 : 0, Instant.now().toString());
    }

    private static String json(ComparedKey key) {
        List<Object> values = new ArrayList<>();
        for (Object v : key.values()) {
            values.add(v instanceof Bytes b ? Base64.getEncoder().encodeToString(b.value()) : v);
        }
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ComparedKey parse(TableSpec spec, String json) {
        List<Object> stored;
        try {
            stored = JSON.readValue(json, new TypeReference<List<Object>>() { });
        } catch (JsonProcessingException e) {
            return null;
        }
        if (stored.size() != spec.key().size()) {
            return null;
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            ColumnSpec c = spec.key().get(i);
            Object v = stored.get(i);
            values.add(c.kind() == ColumnKind.BLOB && v instanceof String s
                    ? new Bytes(Base64.getDecoder().decode(s)) : Values.normalise(c.kind(), v));
        }
        return new ComparedKey(values);
    }
}
