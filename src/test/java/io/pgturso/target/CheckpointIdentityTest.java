package io.pgturso.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.source.SourceColumn;
import io.pgturso.source.SourceTable;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteDataSource;

class CheckpointIdentityTest {
    private static final SourceTable ORDERS = new SourceTable("public", "orders", List.of(
            new SourceColumn("id", "int8", "N", "bigint", true),
            new SourceColumn("note", "text", "S", "text", false),
            new SourceColumn("updated_at", "timestamptz", "D", "timestamp with time zone", true)), List.of("id"));

    @TempDir
    Path dir;

    private static TableSpec spec(String cursor, SyncMode mode, List<String> exclude) {
        return TableSpec.resolve(new TableConfig("orders", "orders", cursor, mode, List.of(), List.of(), exclude,
                Map.of(), "", 100, "* * * * * ?", ""), ORDERS, true, 1 << 20);
    }

    private JdbcTemplate target() {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
        return new JdbcTemplate(ds);
    }

    @Test
    void a_checkpoint_fits_only_the_mode_cursor_key_and_columns_it_was_made_for() {
        CheckpointStore store = new CheckpointStore(target());
        store.createTable();
        TableSpec byTime = spec("updated_at", SyncMode.TIMESTAMP, List.of());
        store.save("orders", List.of("2024-01-01 00:00:00+00", "7"), 1, 0, CheckpointStore.identity(byTime));

        Checkpoint cp = store.load("orders");

        assertThat(cp.fits(byTime)).isTrue();
        assertThat(cp.fits(spec("id", SyncMode.INCREMENTING, List.of()))).isFalse();
        assertThat(cp.fits(spec("", SyncMode.FULL, List.of()))).isFalse();
        assertThat(cp.fits(spec("updated_at", SyncMode.TIMESTAMP, List.of("note")))).as("a column set changed").isFalse();
    }

    @Test
    void a_checkpoint_table_of_an_older_version_gains_the_identity_and_its_positions_are_checked_by_size() {
        JdbcTemplate target = target();
        target.execute("CREATE TABLE pgturso_checkpoints (sync_table TEXT PRIMARY KEY, position TEXT, rows_written INTEGER NOT NULL DEFAULT 0, "
                + "rows_dead_lettered INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL)");
        target.update("INSERT INTO pgturso_checkpoints VALUES ('orders', '[\"2024-01-01 00:00:00+00\",\"7\"]', 5, 0, '2024-01-01')");
        CheckpointStore store = new CheckpointStore(target);

        store.createTable();
        Checkpoint legacy = store.load("orders");

        assertThat(legacy.madeFor()).isNull();
        assertThat(legacy.fits(spec("updated_at", SyncMode.TIMESTAMP, List.of()))).isTrue();
        assertThat(legacy.fits(spec("id", SyncMode.INCREMENTING, List.of()))).as("one position column, not two").isFalse();
        assertThat(store.reset("orders")).isTrue();
        assertThat(store.load("orders").position()).isNull();
        assertThat(store.load("orders").rowsWritten()).as("totals stay").isEqualTo(5);
    }
}
