package io.pgturso.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A custom key (the {@code key} parameter) must identify every row: a column that may be NULL cannot. */
@Timeout(60)
class CustomKeyTest {
    @TempDir
    Path dir;

    @Test
    void a_custom_key_with_a_nullable_column_is_refused_at_start_up_naming_the_table_the_column_and_the_fix() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE events (id bigint NOT NULL, code text, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO events (id, code) VALUES (1, 'a'), (2, NULL)");
            sync.table("events", "table=events", "cursor=updated_at", "key=id,code");

            CliResult result = sync.cli("once");

            assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(App.BAD_CONFIG);
            assertThat(result.err()).contains("Table 'events'").contains("key column 'code'").contains("NOT NULL");
        }
    }

    @Test
    void a_row_of_a_view_with_a_null_key_fails_the_pass_naming_the_column() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            // a view's columns are never NOT NULL in the catalog: its rows are checked as they are read
            sync.pg().execute("CREATE TABLE event_rows (id bigint NOT NULL, code text, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE VIEW events AS SELECT * FROM event_rows");
            sync.pg().update("INSERT INTO event_rows (id, code) VALUES (1, 'a'), (2, NULL), (3, 'c')");
            sync.table("events", "table=events", "cursor=updated_at", "key=code");

            try (CapturedLogs logs = new CapturedLogs()) {
                CliResult result = sync.cli("once");

                assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(App.FAILED);
                assertThat(logs.text()).contains("Table 'events': key column 'code' is NULL in a row");
            }
        }
    }

    @Test
    void a_custom_key_of_not_null_columns_syncs() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE events (id bigint NOT NULL, code text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO events (id, code) VALUES (1, 'a'), (1, 'b')");
            sync.table("events", "table=events", "cursor=updated_at", "key=id,code");

            CliResult result = sync.cli("once");

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(sync.target().queryForObject("SELECT count(*) FROM events", Long.class)).isEqualTo(2);
        }
    }
}
