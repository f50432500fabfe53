package io.pgturso.pass;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestPostgres;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Without clustering, a second process syncing the same target table is refused per table, never run alongside. */
@Timeout(60)
class TableLockTest {
    @TempDir
    Path dir;

    @Test
    void a_released_lock_is_free_at_once_for_the_next_holder() throws Exception {
        TestTarget target = TestTarget.file(dir);
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.start();
            TableLocks locks = sync.app().camel().getRegistry().lookupByNameAndType("tableLocks", TableLocks.class);

            // a pass right after another (once, a test) must not find the lock of the one before still held
            for (int i = 0; i < 300; i++) {
                locks.hold("orders", "replay").close();
            }
            try (TableLocks.Held held = locks.hold("orders", "replay")) {
                assertThat(held).isNotNull();
            }
        }
    }

    @Test
    void a_pass_is_refused_while_another_process_holds_the_table_and_runs_once_it_is_released() throws Exception {
        TestTarget target = TestTarget.file(dir);
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().execute("CREATE TABLE customers (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO orders (id, updated_at) SELECT g, now() - interval '1 hour' FROM generate_series(1, 10) g");
            sync.pg().update("INSERT INTO customers (id, updated_at) SELECT g, now() - interval '1 hour' FROM generate_series(1, 5) g");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.table("customers", "table=customers", "cursor=updated_at");
            sync.start();
            String targetUrl = sync.app().camel().getRegistry().lookupByNameAndType("settings", io.pgturso.config.ConnectionSettings.class)
                    .target().jdbcUrl();

            try (Connection other = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password());
                    CapturedLogs logs = new CapturedLogs()) {
                assertThat(lock(other, "pg_try_advisory_lock", TableLocks.key(targetUrl, "orders"))).isTrue();

                assertThat(sync.runOnce("orders")).as("the pass of a table held elsewhere fails").isFalse();
                assertThat(sync.runOnce("customers")).as("other tables go on").isTrue();
                assertThat(logs.text()).contains("orders: another pg-turso-sync process is syncing target table 'orders' now "
                        + "(its Postgres session: pid ").contains("set sync.cluster.enabled=true");
                assertThat(sync.target().queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'orders'", Long.class))
                        .as("nothing written for the refused table").isZero();

                assertThat(lock(other, "pg_advisory_unlock", TableLocks.key(targetUrl, "orders"))).isTrue();
            }
            assertThat(sync.runOnce("orders")).isTrue();
            assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(10);
            assertThat(sync.pg().queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", Long.class))
                    .as("the pass's lock ends with the pass").isZero();
        }
    }

    @Test
    void a_pass_waits_for_a_command_holding_its_table_and_then_runs() throws Exception {
        TestTarget target = TestTarget.file(dir);
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO orders (id, updated_at) SELECT g, now() - interval '1 hour' FROM generate_series(1, 10) g");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.start();

            try (Connection command = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password())) {
                // a reconciliation's chunk (its lock session names it), done a second later
                command.createStatement().executeQuery("SELECT set_config('application_name', "
                        + "'pg-turso-sync delete reconciliation of orders', false)").close();
                assertThat(lock(command, "pg_try_advisory_lock", TableLocks.key(target.url(), "orders"))).isTrue();
                CompletableFuture<Boolean> released = CompletableFuture.supplyAsync(() -> unlock(command, target.url()),
                        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));

                assertThat(sync.runOnce("orders")).as("the pass waited for the command").isTrue();
                assertThat(released).as("the pass ran only once the command had released the table").isDone();
                assertThat(released.get(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(10);
        }
    }

    private static boolean unlock(Connection c, String target) {
        try {
            return lock(c, "pg_advisory_unlock", TableLocks.key(target, "orders"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void one_target_takes_one_lock_however_its_url_is_spelled() {
        int libsql = TableLocks.key("jdbc:libsql:libsql://db-org.turso.io", "orders");
        assertThat(List.of("jdbc:libsql:https://db-org.turso.io", "https://db-org.turso.io/", "https://DB-org.turso.io:443",
                "libsql://db-org.turso.io?authToken=secret", "jdbc:libsql:libsql://db-org.turso.io:443/"))
                .allSatisfy(url -> assertThat(TableLocks.key(url, "Orders")).as(url).isEqualTo(libsql));
        assertThat(TableLocks.key("http://db-org.turso.io:8080", "orders")).as("another server").isNotEqualTo(libsql);
        assertThat(TableLocks.key("jdbc:sqlite:" + dir.resolve("a/../target.db"), "orders"))
                .isEqualTo(TableLocks.key("file:" + dir.resolve("target.db"), "orders"))
                .isNotEqualTo(TableLocks.key("file:" + dir.resolve("other.db"), "orders"));
    }

    @Test
    void replay_reset_checkpoint_and_resync_are_refused_while_a_pass_holds_the_table() throws Exception {
        TestTarget target = TestTarget.file(dir);
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO orders (id, updated_at) SELECT g, now() - interval '1 hour' FROM generate_series(1, 10) g");
            sync.table("orders", "table=orders", "cursor=updated_at");
            assertThat(sync.cli("once").exitCode()).isZero();
            sync.target().update("INSERT INTO pgturso_dead_letters (sync_table, row_key, stage, error, row_json, attempts, "
                    + "first_failed_at, last_failed_at) VALUES ('orders', '{\"id\":\"3\"}', 'write', 'refused', NULL, 1, "
                    + "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')");
            String checkpoint = checkpoint(sync);

            try (Connection pass = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password())) {
                // a pass of another process (its lock session names it)
                pass.createStatement().executeQuery("SELECT set_config('application_name', 'pg-turso-sync pass of orders', false)").close();
                assertThat(lock(pass, "pg_try_advisory_lock", TableLocks.key(target.url(), "orders"))).isTrue();

                for (String command : List.of("replay", "reset-checkpoint", "resync")) {
                    SyncHarness.CliResult result = sync.cli(command, "--table", "orders");
                    assertThat(result.exitCode()).as(command).isEqualTo(io.pgturso.app.App.FAILED);
                    assertThat(result.out() + result.err()).as(command).contains("pg-turso-sync pass of orders holds it now (its Postgres session: pid ")
                            .contains("run it again");
                }
                assertThat(checkpoint(sync)).as("the pass's checkpoint stays").isEqualTo(checkpoint);
                assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class))
                        .as("the dead letter stays for the pass to close or record").isEqualTo(1);
            }
            SyncHarness.CliResult reset = sync.cli("reset-checkpoint", "--table", "orders");
            assertThat(reset.exitCode()).as(reset.err()).isZero();
            assertThat(checkpoint(sync)).as("reset once the pass has ended").isNull();
        }
    }

    private static String checkpoint(SyncHarness sync) {
        return sync.target().queryForObject("SELECT position FROM pgturso_checkpoints WHERE sync_table = 'orders'", String.class);
    }

    private static boolean lock(Connection c, String function, int key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?, ?)")) {
            ps.setInt(1, TableLocks.LOCK_CLASS);
            ps.setInt(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
