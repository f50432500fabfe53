package io.pgturso.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.pass.TableRunner;
import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestPostgres;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delete reconciliation never interleaves with a pass of the same table: in {@code full} mode (and with the cursor
 * in the key) its deletes have no version to check, so a row inserted again and synced between its reads and its
 * delete would be deleted.
 */
@Timeout(120)
class ReconciliationBesidePassesTest {
    @TempDir
    Path dir;

    @Test
    void a_row_inserted_again_is_never_deleted_by_a_reconciliation_running_beside_a_pass_in_full_mode() throws Exception {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.libsqlServer(dir, s -> {
            server.set(s);
            return s;
        }))) {
            items(sync, "mode=full");
            sync.pg().update("DELETE FROM items WHERE id = 42");
            // the reconciliation's delete of row 42 waits at the server until the test lets it go
            LibsqlTestServer.Hold hold = server.get().hold(body -> body.contains("DELETE FROM \\\"items\\\""), body -> false,
                    Duration.ofSeconds(30));
            CompletableFuture<Boolean> reconcile = CompletableFuture.supplyAsync(() -> reconcile(sync));
            await().atMost(Duration.ofSeconds(30)).until(hold::tookHold);

            sync.pg().update("INSERT INTO items (id, name) VALUES (42, 'back again')");
            boolean passDuringDelete;
            try (CapturedLogs logs = new CapturedLogs()) {
                passDuringDelete = sync.runOnce("items");
                assertThat(logs.text()).contains("held by pg-turso-sync delete reconciliation of items");
            }
            hold.release();
            assertThat(reconcile.get(30, TimeUnit.SECONDS)).isTrue();

            assertThat(passDuringDelete).as("no pass writes the table between the reconciliation's check and its delete").isFalse();
            assertThat(sync.runOnce("items")).isTrue();
            assertThat(ids(sync)).contains(42L).hasSize(100);
            assertThat(sync.compare("items").isEqual()).isTrue();
        }
    }

    @Test
    void the_reconciliation_deletes_nothing_while_a_pass_holds_the_table_and_continues_there_next_run() throws Exception {
        TestTarget target = TestTarget.file(dir);
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            items(sync, "cursor=id", "mode=incrementing");
            sync.pg().update("DELETE FROM items WHERE id = 42");

            try (Connection pass = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password());
                    CapturedLogs logs = new CapturedLogs()) {
                pass.createStatement().executeQuery("SELECT set_config('application_name', 'pg-turso-sync pass of items', false)").close();
                try (PreparedStatement ps = pass.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                    ps.setInt(1, io.pgturso.pass.TableLocks.LOCK_CLASS);
                    ps.setInt(2, io.pgturso.pass.TableLocks.key(target.url(), "items"));
                    ps.executeQuery().close();
                }

                assertThat(reconcile(sync)).isTrue();

                assertThat(ids(sync)).as("nothing deleted while the pass holds the table").contains(42L);
                assertThat(logs.text()).contains("items: delete reconciliation stopped").contains("pg-turso-sync pass of items");
            }
            assertThat(reconcile(sync)).isTrue();
            assertThat(ids(sync)).doesNotContain(42L).hasSize(99);
        }
    }

    private static void items(SyncHarness sync, String... settings) {
        sync.pg().execute("CREATE TABLE items (id bigint PRIMARY KEY, name text)");
        sync.pg().update("INSERT INTO items (id, name) SELECT g, 'item ' || g FROM generate_series(1, 100) g");
        List<String> all = new java.util.ArrayList<>(List.of("table=items"));
        all.addAll(List.of(settings));
        sync.table("items", all.toArray(String[]::new));
        sync.property("sync.reconcile.enabled", "true");
        sync.start();
        assertThat(sync.runOnce("items")).isTrue();
    }

    private static boolean reconcile(SyncHarness sync) {
        return TableRunner.runOnce(sync.app().camel(), "delete-reconciliation");
    }

    private static List<Long> ids(SyncHarness sync) {
        return sync.target().queryForList("SELECT id FROM items ORDER BY id", Long.class);
    }
}
