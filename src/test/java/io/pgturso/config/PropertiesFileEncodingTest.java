package io.pgturso.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** application.properties is read as UTF-8, as editors save it: names and values with accents mean what they say. */
class PropertiesFileEncodingTest {
    @TempDir
    Path dir;
    SyncHarness sync;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
    }

    @AfterEach
    void tearDown() {
        sync.close();
    }

    @Test
    void a_where_value_with_accented_letters_selects_its_rows() {
        sync.pg().execute("CREATE TABLE customers (id int PRIMARY KEY, city text, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().update("INSERT INTO customers (id, city) VALUES (1, 'Zürich'), (2, 'Basel'), (3, 'Zürich')");
        sync.table("customers", "table=customers", "cursor=updated_at", "where=city = 'Zürich'");

        CliResult once = sync.cli("once");

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        assertThat(sync.target().queryForList("SELECT id FROM customers ORDER BY id", Long.class)).containsExactly(1L, 3L);
    }

    @Test
    void a_table_named_with_non_ascii_letters_is_found() {
        sync.pg().execute("CREATE TABLE \"señales\" (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().update("INSERT INTO \"señales\" (id) VALUES (1)");
        sync.table("signals", "table=señales", "cursor=updated_at");

        CliResult once = sync.cli("once");

        assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
        assertThat(sync.target().queryForObject("SELECT count(*) FROM \"señales\"", Long.class)).isEqualTo(1L);
    }

    @Test
    void a_file_that_is_not_utf8_is_refused_naming_its_line() throws Exception {
        sync.pg().execute("CREATE TABLE customers (id int PRIMARY KEY, city text, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.table("customers", "table=customers", "cursor=updated_at");
        sync.writeConfig();
        Path file = dir.resolve("application.properties");
        Files.writeString(file, Files.readString(file) + "camel.route-template[customers].where = city = 'Zürich'\n",
                StandardCharsets.ISO_8859_1);
        int line = Files.readAllLines(file, StandardCharsets.ISO_8859_1).size();

        CliResult refused = run("once");

        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(App.BAD_CONFIG);
        assertThat(refused.err()).contains("application.properties", "UTF-8", "line " + line);
        assertThat(Files.exists(dir.resolve("target.db"))).as("nothing written").isFalse();
    }

    /** Runs the command line on the files as they are now (the harness would write application.properties again). */
    private CliResult run(String command) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int code = App.run(new String[] {command, "--config", dir.toString()}, java.util.Map.of(),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
