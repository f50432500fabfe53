package io.pgturso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncProcess;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as a person runs them, each in its own JVM with the shipped logging set-up: everything they print
 * (stdout and stderr) is their own lines, not Camel's start-up log.
 */
@Timeout(300)
class QuietCommandsTest {
    private static final int TABLES = 4;

    @TempDir
    Path dir;
    TestTarget target;
    SyncHarness sync;

    @BeforeEach
    void setUp() {
        target = TestTarget.file(dir);
        sync = SyncHarness.create(dir, target);
        for (String table : List.of("country", "city", "language")) {
            sync.pg().execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text)");
            sync.pg().update("INSERT INTO " + table + " SELECT g, 'n' || g FROM generate_series(1, 100) g");
            sync.table(table, "table=" + table, "mode=full");
        }
        sync.pg().execute("CREATE TABLE rental (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
        sync.pg().execute("CREATE INDEX ON rental (at, id)");
        sync.pg().update("INSERT INTO rental (id) SELECT g FROM generate_series(1, 100) g");
        sync.table("rental", "table=rental", "cursor=at");
        sync.writeConfig();
    }

    @AfterEach
    void tearDown() {
        sync.close();
        target.close();
    }

    private List<String> run(String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "out", ".txt");
        int code = SyncProcess.start(dir, log, Map.of(), args).waitFor(120);
        List<String> lines = Files.readAllLines(log);
        assertThat(code).as(String.join("\n", lines)).isZero();
        return lines;
    }

    @Test
    void commands_with_nothing_to_do_print_at_most_two_lines_and_one_per_table() throws Exception {
        run("once");

        for (String command : List.of("once", "status", "verify")) {
            List<String> lines = run(command);
            assertThat(lines).as(command + ":\n" + String.join("\n", lines)).hasSizeLessThanOrEqualTo(2 + TABLES)
                    .noneMatch(l -> l.contains("Apache Camel") || l.contains("Started ") || l.contains(" INFO "));
        }
    }

    @Test
    void plan_says_nothing_of_routes_and_verbose_brings_camels_log_back() throws Exception {
        List<String> plan = run("plan");
        List<String> verbose = run("once", "--verbose");

        assertThat(plan).as(String.join("\n", plan)).noneMatch(l -> l.contains("Started") || l.contains("Apache Camel")
                || l.contains(" INFO ") || l.startsWith("\tat "));
        assertThat(verbose).anyMatch(l -> l.contains("Apache Camel") && l.contains("started"))
                .anyMatch(l -> l.contains("Started country (quartz://"));
    }

    @Test
    void plan_reports_a_bad_table_block_in_one_line_as_once_does() throws Exception {
        sync.table("broken", "table=country");
        sync.writeConfig();
        Path planLog = Files.createTempFile(dir, "plan", ".txt");
        Path onceLog = Files.createTempFile(dir, "once", ".txt");

        int plan = SyncProcess.start(dir, planLog, Map.of(), "plan").waitFor(120);
        int once = SyncProcess.start(dir, onceLog, Map.of(), "once").waitFor(120);

        List<String> planLines = Files.readAllLines(planLog);
        assertThat(plan).isEqualTo(2);
        assertThat(once).isEqualTo(2);
        assertThat(planLines).as(String.join("\n", planLines)).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"))
                .anyMatch(l -> l.contains("needs a cursor column"));
    }
}
