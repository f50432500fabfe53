package io.pgturso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void status_shows_checkpoint_pending_rows_and_dead_letters_and_once_reports_failures() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, amount float8, updated_at timestamptz NOT NULL)");
            sync.pg().update("INSERT INTO orders SELECT g, g, '2024-01-01'::timestamptz + g * interval '1 hour' FROM generate_series(1, 5) g");
            sync.pg().update("UPDATE orders SET amount = 'NaN' WHERE id = 3");
            sync.table("orders", "table=orders", "cursor=updated_at");

            CliResult before = sync.cli("status");
            assertThat(before.exitCode()).as(before.err()).isZero();
            assertThat(before.out()).containsPattern("orders\\s+timestamp\\s+orders\\s+5\\s+PT4H\\s+0\\s+0\\s+never\\s+\\(start\\)");

            assertThat(sync.cli("once").exitCode()).isZero();
            sync.pg().update("INSERT INTO orders VALUES (6, 6, '2024-02-01')");

            CliResult after = sync.cli("status");
            assertThat(after.out()).containsPattern("orders\\s+timestamp\\s+orders\\s+1\\s+P30DT19H\\s+4\\s+1\\s+20\\d\\d-")
                    .contains("[2024-01-01 05:00:00+00, 5]");

            sync.pg().execute("DROP TABLE orders");
            CliResult broken = sync.cli("once");
            assertThat(broken.exitCode()).isEqualTo(App.BAD_CONFIG);
            assertThat(broken.err()).contains("Table 'orders' does not exist");
        }
    }

    @Test
    void status_keeps_columns_aligned_for_long_names_and_shows_no_lag_as_PT0S() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL)");
            sync.pg().execute("CREATE TABLE a_table_with_a_rather_long_name_indeed (id int PRIMARY KEY, updated_at timestamptz NOT NULL)");
            sync.pg().update("INSERT INTO orders SELECT g, '2024-01-01'::timestamptz + g * interval '1 hour' FROM generate_series(1, 5) g");
            sync.pg().update("INSERT INTO a_table_with_a_rather_long_name_indeed VALUES (1, '2020-01-01'), (2, '2024-06-01 10:11:12.5')");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.table("a_table_with_a_rather_long_name_indeed", "table=a_table_with_a_rather_long_name_indeed", "cursor=updated_at");
            assertThat(sync.cli("once").exitCode()).isZero();
            sync.pg().update("INSERT INTO orders VALUES (6, '2024-02-01')");

            String[] lines = sync.cli("status").out().split("\n");

            assertThat(lines).hasSize(3);
            int lagColumn = lines[0].indexOf("LAG");
            int writtenEnd = lines[0].indexOf("WRITTEN") + "WRITTEN".length();
            for (String line : lines) {
                assertThat(line.charAt(lagColumn - 1)).as(line).isEqualTo(' ');
                assertThat(line.charAt(lagColumn)).as(line).isNotEqualTo(' ');
                assertThat(line.charAt(writtenEnd - 1)).as("numbers right-aligned: " + line).isNotEqualTo(' ');
            }
            assertThat(lines[1]).startsWith("orders ").contains(" P30DT19H ");
            assertThat(lines[2]).startsWith("a_table_with_a_rather_long_name_indeed ").contains(" PT0S ");
        }
    }
}
