package io.pgturso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The verify command end to end: real Postgres, a real SQLite file target, the project's route files. */
class VerifyCommandTest {
    @TempDir
    Path dir;
    SyncHarness sync;
    JdbcTemplate pg;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
        pg = sync.pg();
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO orders (id, name) SELECT g, 'order ' || g FROM generate_series(1, 100) g");
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.property("sync.verify.chunk-size", "10");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    @Test
    void verify_reports_ok_after_a_sync() {
        assertThat(sync.cli("once").exitCode()).isZero();

        CliResult result = sync.cli("verify");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("orders: OK 100 rows");
    }

    @Test
    void verify_names_changed_missing_and_extra_rows_and_their_key_ranges_and_exits_1() {
        assertThat(sync.cli("once").exitCode()).isZero();
        sync.target().update("UPDATE orders SET name = 'tampered' WHERE id = 7");
        sync.target().update("DELETE FROM orders WHERE id = 42");
        sync.target().update("INSERT INTO orders (id, name, updated_at) VALUES (1000, 'stray', '2024-01-01T00:00:00.000000Z')");

        CliResult result = sync.cli("verify");

        assertThat(result.exitCode()).isEqualTo(App.FAILED);
        assertThat(result.out())
                .contains("orders: DIFFERENT 100 rows in Postgres, 100 in the target: 1 missing, 1 extra, 1 changed, in 3 of 11 chunks")
                .contains("differing key ranges: 1..10, 41..50, 1000")
                .contains("missing in target: 42")
                .contains("extra in target: 1000")
                .contains("changed: 7");
    }

    @Test
    void verify_reports_a_table_never_synced_as_different() {
        CliResult result = sync.cli("verify", "--table", "orders");

        assertThat(result.exitCode()).isEqualTo(App.FAILED);
        assertThat(result.out()).contains("orders: DIFFERENT target table \"orders\" does not exist");
    }

    @Test
    void verify_checks_only_the_named_table() {
        pg.execute("CREATE TABLE notes (id int PRIMARY KEY, body text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO notes (id, body) VALUES (1, 'a')");
        sync.table("notes", "table=notes", "cursor=updated_at");
        assertThat(sync.cli("once").exitCode()).isZero();
        sync.target().update("DELETE FROM notes");

        CliResult orders = sync.cli("verify", "--table", "orders");
        CliResult unknown = sync.cli("verify", "--table", "nope");

        assertThat(orders.exitCode()).isZero();
        assertThat(orders.out()).contains("orders: OK").doesNotContain("notes");
        assertThat(unknown.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(unknown.err()).contains("No table 'nope'");
    }

    @Test
    void dead_lettered_rows_are_reported_as_known_differences_without_failing() {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, value float8, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO readings (id, value) VALUES (1, 1.5), (2, 'NaN'), (3, 3.5)");
        sync.table("readings", "table=readings", "cursor=updated_at");
        assertThat(sync.cli("once").exitCode()).isZero();

        CliResult result = sync.cli("verify", "--table", "readings");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("readings: OK 3 rows, apart from 1 dead-lettered").contains("dead-lettered: 2");
    }
}
