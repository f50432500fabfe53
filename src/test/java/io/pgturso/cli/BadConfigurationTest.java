package io.pgturso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad setting stops the start with one clear message and a non-zero exit, before anything is written. */
class BadConfigurationTest {
    @TempDir
    Path dir;
    SyncHarness sync;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
        sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().execute("CREATE TABLE log_lines (line text, at timestamptz)");
        sync.pg().update("INSERT INTO orders (id, name) VALUES (1, 'a')");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private void assertRefused(CliResult result, String... messageParts) {
        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains(messageParts);
        assertThat(targetTables()).as("nothing is written to the target").isZero();
    }

    private long targetTables() {
        if (!Files.exists(dir.resolve("target.db"))) {
            return 0;
        }
        return sync.target().queryForObject("SELECT count(*) FROM sqlite_master WHERE type = 'table'", Long.class);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void unreachable_postgres_is_named_with_the_setting_to_fix() throws IOException {
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.property("sync.source.url", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/shop");

        assertRefused(sync.cli("once"), "Cannot connect to Postgres", "DATABASE_URL");
    }

    @Test
    void a_missing_table_is_named() {
        sync.table("orders", "table=ordrs", "cursor=updated_at");

        assertRefused(sync.cli("once"), "Table 'ordrs' does not exist in Postgres");
    }

    @Test
    void a_missing_cursor_column_lists_the_real_columns() {
        sync.table("orders", "table=orders", "cursor=modified_at");

        assertRefused(sync.cli("once"), "cursor column 'modified_at' does not exist", "updated_at");
    }

    @Test
    void a_table_without_primary_key_needs_a_configured_key() {
        sync.table("lines", "table=log_lines", "cursor=at");

        assertRefused(sync.cli("once"), "has no primary key", "camel.route-template[lines].key");
    }

    @Test
    void a_bad_schedule_is_refused() {
        sync.table("orders", "table=orders", "cursor=updated_at", "schedule=every minute");

        assertRefused(sync.cli("run"), "schedule 'every minute' is not a valid Quartz cron expression");
    }

    @Test
    void timestamp_mode_without_cursor_and_an_unknown_mode_are_refused() {
        sync.table("orders", "table=orders");
        assertRefused(sync.cli("once"), "needs a cursor column");

        sync.table("orders", "table=orders", "cursor=updated_at", "mode=sometimes");
        assertRefused(sync.cli("once"), "mode 'sometimes' is not one of timestamp, incrementing, full");
    }

    @Test
    void a_table_without_a_cursor_is_told_its_choices_each_on_a_line() {
        sync.pg().execute("CREATE TABLE film (film_id int PRIMARY KEY, title text)");
        sync.table("film", "table=film", "cursor=updated_at");
        CliResult missing = sync.cli("once");
        sync.table("film", "table=film");
        CliResult none = sync.cli("once");

        for (CliResult result : List.of(missing, none)) {
            assertRefused(result, "camel.route-template[film].mode = full", "camel.route-template[film].mode = incrementing",
                    "add an updated_at column with a trigger");
            assertThat(result.err().lines().filter(l -> l.contains("camel.route-template[film].mode = ")).count())
                    .as("one line per choice: " + result.err()).isEqualTo(2);
        }
        assertThat(missing.err()).contains("cursor column 'updated_at' does not exist");
        assertThat(none.err()).as("no cursor to suggest for a table that has none").doesNotContain("cursor=updated_at");
    }

    @Test
    void a_cursor_of_a_type_that_does_not_sort_is_refused() {
        sync.table("orders", "table=orders", "cursor=name");

        assertRefused(sync.cli("once"), "a cursor must be an integer, date or timestamp column");
    }

    @Test
    void two_tables_writing_one_target_table_are_refused() {
        sync.table("a", "table=orders", "cursor=updated_at");
        sync.table("b", "table=orders", "cursor=updated_at");

        assertRefused(sync.cli("once"), "both write target table 'orders'");
    }

    @Test
    void a_bad_target_url_and_missing_files_and_unknown_commands_are_refused() throws IOException {
        sync.property("sync.target.url", "ftp://example/db");
        assertRefused(sync.cli("once"), "Target URL must be file:PATH");

        Path empty = Files.createDirectory(dir.resolve("empty"));
        CliResult noConfig = cli("once", "--config", empty.toString());
        assertThat(noConfig.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(noConfig.err()).contains("No application.properties in " + empty);

        CliResult unknown = cli("sync-everything");
        assertThat(unknown.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(unknown.err()).contains("Unknown argument 'sync-everything'");
    }

    @Test
    void secrets_never_appear_in_output_or_logs() throws IOException {
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.env("DATABASE_URL", "postgres://postgres:Sup3rSecretPw@127.0.0.1:" + closedPort() + "/shop");
        sync.env("TURSO_AUTH_TOKEN", "tok-Very-Secret-123");
        CliResult result;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            result = sync.cli("once");
            logs = captured.text();
        }

        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("Cannot connect to Postgres");
        assertThat(result.out() + result.err() + logs).doesNotContain("Sup3rSecretPw").doesNotContain("tok-Very-Secret-123");
    }

    @Test
    void malformed_route_yaml_names_the_file() throws IOException {
        sync.table("orders", "table=orders", "cursor=updated_at");
        Path routes = dir.resolve("routes/table-sync.camel.yaml");
        Files.writeString(routes, Files.readString(routes).replace("    route:\n", "    route:\n   - broken: [\n"));

        CliResult result = sync.cli("once");

        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("table-sync.camel.yaml");
    }

    @Test
    void an_unknown_postgres_role_is_refused() {
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.property("sync.source.user", "nobody_here");

        assertRefused(sync.cli("once"), "Cannot connect to Postgres", "nobody_here");
    }

    @Test
    void a_cursor_without_index_is_warned_about_with_the_fix() {
        sync.pg().execute("CREATE TABLE events (id int PRIMARY KEY, at timestamptz NOT NULL)");
        sync.table("events", "table=events", "cursor=at");
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            assertThat(sync.cli("once").exitCode()).isZero();
            logs = captured.text();
        }

        assertThat(logs).contains("no index of \"public\".\"events\" starts with at").contains("CREATE INDEX ON \"public\".\"events\" (\"at\", \"id\")");
    }

    @Test
    void an_unreachable_target_server_is_named_with_the_setting_to_fix() throws IOException {
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.property("sync.target.url", "http://127.0.0.1:" + closedPort());

        CliResult result = sync.cli("once");

        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("Cannot connect to the target", "TURSO_DATABASE_URL");
    }

    @Test
    void a_token_the_server_rejects_is_reported_without_the_token() throws IOException {
        com.sun.net.httpserver.HttpServer rejecting = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        rejecting.createContext("/", exchange -> {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        rejecting.start();
        try {
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.property("sync.target.url", "http://127.0.0.1:" + rejecting.getAddress().getPort());
            sync.env("TURSO_AUTH_TOKEN", "wrong-token-abcdef");

            CliResult result = sync.cli("once");

            assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
            assertThat(result.err()).contains("Cannot connect to the target", "token rejected").doesNotContain("wrong-token-abcdef");
        } finally {
            rejecting.stop(0);
        }
    }

    @Test
    void columns_that_do_not_exist_or_cannot_be_left_out_are_named() {
        sync.table("orders", "table=orders", "cursor=updated_at", "exclude=nme");
        assertRefused(sync.cli("once"), "column 'nme' does not exist in Postgres");

        sync.table("orders", "table=orders", "cursor=updated_at", "exclude=id");
        assertRefused(sync.cli("once"), "key column 'id' cannot be excluded");

        sync.table("orders", "table=orders", "cursor=updated_at", "rename=name:ID");
        assertRefused(sync.cli("once"), "two columns would be named 'ID'");

        sync.table("orders", "table=orders", "cursor=updated_at", "rename=name");
        assertRefused(sync.cli("once"), "rename entry 'name' must look like source_column:target_column");

        sync.table("orders", "table=orders", "cursor=updated_at", "softDelete=gone");
        assertRefused(sync.cli("once"), "softDelete column 'gone' does not exist");
    }

    @Test
    void bad_numbers_and_switches_are_named() {
        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=lots");
        assertRefused(sync.cli("once"), "batchSize 'lots' is not a whole number");

        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=0");
        assertRefused(sync.cli("once"), "batchSize 0 must be between 1 and 100000");

        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=100");
        sync.property("sync.types.numeric", "float");
        assertRefused(sync.cli("once"), "sync.types.numeric must be 'text' or 'real'");

        sync.property("sync.types.numeric", "text").property("sync.horizon.enabled", "yes");
        assertRefused(sync.cli("once"), "sync.horizon.enabled must be true or false");
    }

    @Test
    void a_key_the_target_would_store_lossily_is_refused_with_the_fix() {
        sync.pg().execute("CREATE TABLE accounts (id numeric(20,0) PRIMARY KEY, tags int[] NOT NULL DEFAULT '{}', updated_at timestamptz NOT NULL DEFAULT now())");
        // as REAL (a double) both keys are 1.2345678901234567e19: one target row
        sync.pg().update("INSERT INTO accounts (id) VALUES (12345678901234567890), (12345678901234567891)");
        sync.property("sync.types.numeric", "real");

        sync.table("accounts", "table=accounts", "cursor=updated_at");
        assertRefused(sync.cli("once"), "Table 'accounts'", "key column 'id'", "sync.types.numeric = text",
                "camel.route-template[accounts].key");

        // an array loses its lower bounds in the target: '[0:1]={1,2}' and '{1,2}' differ in Postgres only
        sync.table("accounts", "table=accounts", "cursor=updated_at", "key=tags");
        assertRefused(sync.cli("once"), "key column 'tags'", "lower bounds");
    }

    @Test
    void a_double_precision_key_is_exact_and_syncs() {
        sync.pg().execute("CREATE TABLE points (x float8 PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().update("INSERT INTO points (x) VALUES (0.1), (0.1000000000000001), (1e308)");
        sync.table("points", "table=points", "cursor=updated_at");

        CliResult result = sync.cli("once");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(sync.target().queryForObject("SELECT count(*) FROM points", Long.class)).isEqualTo(3);
    }

    @Test
    void a_target_table_with_another_key_is_refused_before_anything_is_written() {
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.target().execute("CREATE TABLE orders (name TEXT PRIMARY KEY, id INTEGER)");

        CliResult result = sync.cli("once");

        assertThat(result.exitCode()).isEqualTo(App.FAILED);
        assertThat(result.out() + result.err()).contains("Failed tables: [orders]");
        assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).isZero();
    }

    @Test
    void a_password_inside_the_postgres_url_of_a_working_setup_is_never_logged() {
        sync.table("orders", "table=orders", "cursor=updated_at");
        String hostAndDb = sync.pgUrl().substring("jdbc:postgresql://".length());
        sync.property("sync.source.url", "postgres://postgres:Url-Secret-Pw-42@" + hostAndDb);
        CliResult result;
        String logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            // --verbose: every info line too, the start-up line naming the source among them
            result = sync.cli("once", "--verbose");
            logs = captured.text();
        }

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(logs).contains("Source: Postgres at jdbc:postgresql://");
        assertThat(result.out() + result.err() + logs).doesNotContain("Url-Secret-Pw-42");
    }

    @Test
    void help_lists_the_commands() {
        CliResult help = cli("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("run", "once", "status", "replay", "DATABASE_URL", "TURSO_AUTH_TOKEN");
    }

    private static CliResult cli(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = App.run(args, java.util.Map.of(), new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        return new CliResult(code, out.toString(), err.toString());
    }
}
