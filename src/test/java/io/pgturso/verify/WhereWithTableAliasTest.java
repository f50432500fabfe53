package io.pgturso.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.pass.TableRunner;
import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A where that names columns through the table's alias src (src.tenant) works in verify and reconciliation as in passes. */
class WhereWithTableAliasTest {
    @TempDir
    Path dir;
    SyncHarness sync;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
        sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant int, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().update("INSERT INTO orders (id, tenant) SELECT g, g % 2 FROM generate_series(1, 20) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "where=src.tenant = 1");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    @Test
    void verify_compares_the_rows_the_where_keeps() {
        assertThat(sync.cli("once").exitCode()).isZero();

        CliResult verify = sync.cli("verify");

        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("orders: OK 10 rows");
    }

    @Test
    void reconciliation_deletes_the_rows_postgres_no_longer_has() {
        sync.property("sync.reconcile.enabled", "true");
        sync.start();
        assertThat(sync.runOnce("orders")).isTrue();
        sync.pg().update("DELETE FROM orders WHERE id = 3");

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(TableRunner.runOnce(sync.app().camel(), "delete-reconciliation")).as(logs.text()).isTrue();
        }

        assertThat(sync.target().queryForList("SELECT id FROM orders ORDER BY id", Long.class))
                .containsExactly(1L, 5L, 7L, 9L, 11L, 13L, 15L, 17L, 19L);
    }
}
