package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync's Postgres sessions are read-only in every statement, autocommit included: SQL in settings cannot write. */
class ReadOnlySourceTest {
    @TempDir
    Path dir;
    SyncHarness sync;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
        sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
        sync.pg().update("INSERT INTO orders (id) SELECT g FROM generate_series(1, 8) g");
        sync.pg().execute("CREATE TABLE audit (id int)");
        sync.pg().execute("CREATE FUNCTION noted(i int) RETURNS int LANGUAGE plpgsql AS $$ "
                + "BEGIN INSERT INTO audit VALUES (i); RETURN i; END $$");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    @Test
    void an_expression_that_writes_is_refused_by_postgres_and_writes_nothing() {
        sync.table("orders", "table=orders", "cursor=updated_at", "expressions=seen: noted(id)");

        CliResult once;
        try (CapturedLogs logs = new CapturedLogs()) {
            once = sync.cli("once");
            assertThat(logs.text()).contains("read-only transaction");
        }

        assertThat(once.exitCode()).as(once.out() + once.err()).isEqualTo(App.FAILED);
        assertThat(sync.pg().queryForObject("SELECT count(*) FROM audit", Long.class)).as("rows written to Postgres").isZero();
    }

    @Test
    void everything_the_sync_reads_works_on_read_only_sessions() {
        sync.table("orders", "table=orders", "cursor=updated_at", "where=id > 0", "expressions=twice: id * 2");

        for (String command : new String[] {"plan", "once", "status", "verify", "replay"}) {
            CliResult result = sync.cli(command);
            assertThat(result.exitCode()).as(command + ": " + result.out() + result.err()).isZero();
        }

        assertThat(sync.target().queryForObject("SELECT count(*) FROM orders WHERE twice = 2 * id", Long.class)).isEqualTo(8L);
    }
}
