package io.pgturso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Settings at start-up: defaults for everything optional, typos named, and a refused start that leaves nothing behind. */
@Timeout(120)
class StartupSettingsTest {
    @TempDir
    Path dir;
    SyncHarness sync;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir.resolve("data")));
        sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().execute("CREATE INDEX ON orders (updated_at)");
        sync.pg().update("INSERT INTO orders (id, name) VALUES (1, 'a'), (2, 'b')");
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    private CliResult run(String properties, String... args) throws IOException {
        Files.writeString(dir.resolve("application.properties"), properties);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = dir.toString();
        int code = App.run(all, Map.of("PGUSER", "postgres", "PGPASSWORD", "postgres"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String minimal() {
        return "sync.source.url = " + sync.pgUrl() + "\n"
                + "sync.target.url = file:data/target.db\n"
                + "camel.route-template[orders].template-id = table-sync\n"
                + "camel.route-template[orders].table = orders\n"
                + "camel.route-template[orders].cursor = updated_at\n";
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void a_minimal_file_with_source_target_and_one_table_runs_on_defaults() throws IOException {
        CliResult once = run(minimal(), "once");

        assertThat(once.exitCode()).as(once.err()).isZero();
        assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(2);
    }

    @Test
    void an_unknown_sync_key_is_named_with_the_closest_setting_and_nothing_is_written() throws IOException {
        CliResult result = run(minimal() + "sync.batchsize = 500\n", "once");

        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("Unknown setting sync.batchsize: did you mean sync.batch-size?");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void a_schedule_that_never_fires_is_refused_once_naming_the_setting_and_leaves_no_target_file() throws IOException {
        CliResult result;
        try (CapturedLogs logs = new CapturedLogs()) {
            result = run(minimal() + "camel.route-template[orders].schedule = 0 0 12 * * ? 1999\n", "run");
            assertThat(occurrences(result.err() + logs.text(), "never fires again")).as(result.err() + logs.text()).isEqualTo(1);
        }
        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("camel.route-template[orders].schedule");
        assertThat(dir.resolve("data")).as("no target file, no directory").doesNotExist();
    }

    @Test
    void two_blocks_reading_the_same_postgres_table_are_refused() throws IOException {
        CliResult result = run(minimal() + "camel.route-template[orders2].template-id = table-sync\n"
                + "camel.route-template[orders2].table = public.orders\n"
                + "camel.route-template[orders2].cursor = updated_at\n"
                + "camel.route-template[orders2].targetTable = orders_copy\n", "once");

        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("Tables 'orders' and 'orders2' both read Postgres table");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void a_read_only_target_file_is_refused_at_once_with_its_path() throws IOException {
        Path file = Files.createDirectories(dir.resolve("data")).resolve("target.db");
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));

        long started = System.nanoTime();
        CliResult result = run(minimal(), "once");

        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("The target file " + file + " is read-only");
        assertThat((System.nanoTime() - started) / 1_000_000_000).as("seconds to refuse").isLessThan(10);
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void a_bad_value_names_the_setting_and_its_doc() throws IOException {
        CliResult result = run(minimal() + "sync.retry.max-attempts = many\n", "once");

        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("sync.retry.max-attempts must be a whole number of 0 or more (got 'many'");
    }
}
