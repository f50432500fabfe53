package io.pgturso.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** What a dead letter holds, in the table and at sync.dead-letter.uri: the key and what the target may get, no more. */
@Timeout(120)
class DeadLetterContentTest {
    @TempDir
    Path dir;
    TestTarget target;
    SyncHarness sync;
    JdbcTemplate pg;

    @BeforeEach
    void setUp() {
        target = TestTarget.file(dir);
        sync = SyncHarness.create(dir, target);
        pg = sync.pg();
    }

    @AfterEach
    void tearDown() {
        sync.close();
        target.close();
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void a_dead_letter_holds_no_dropped_or_excluded_column() throws Exception {
        pg.execute("CREATE TABLE customers (id int PRIMARY KEY, email text, ssn text, salary int, score float8, "
                + "updated_at timestamptz NOT NULL)");
        pg.update("INSERT INTO customers VALUES (1, 'ada@example.com', '123-45-6789', 90000, 1.5, '2024-01-01'), "
                + "(2, 'bob@example.com', '987-65-4321', 80000, 'NaN', '2024-01-02')");
        Files.copy(Path.of(System.getProperty("project.dir", ".")).resolve("routes/examples/drop-pii.camel.yaml"),
                dir.resolve("routes/drop-pii.camel.yaml"));
        Path failed = dir.resolve("failed-rows");
        sync.property("sync.dead-letter.uri", "file:" + failed);
        sync.table("customers", "table=customers", "cursor=updated_at", "transform=direct:drop-pii",
                "addColumns=ssn_last4:TEXT", "dropColumns=ssn", "exclude=salary");
        sync.start();

        assertThat(sync.runOnce("customers")).isTrue();

        Map<String, Object> letter = sync.target().queryForMap("SELECT row_key, stage, row_json FROM pgturso_dead_letters");
        assertThat(letter).containsEntry("row_key", "{\"id\":\"2\"}").containsEntry("stage", "transform");
        String rowJson = letter.get("row_json").toString();
        assertThat(rowJson).contains("\"id\":2", "bob@example.com")
                .doesNotContain("ssn", "987-65-4321", "salary", "80000");
        List<Path> sent = files(failed);
        assertThat(sent).hasSize(1);
        assertThat(Files.readString(sent.get(0))).contains("\"key\":{\"id\":\"2\"}", "bob@example.com")
                .doesNotContain("ssn", "987-65-4321", "salary", "80000");
    }

    @Test
    void an_oversized_value_is_kept_in_the_dead_letter_as_a_short_preview_with_its_size() throws Exception {
        pg.execute("CREATE TABLE docs (id int PRIMARY KEY, title text, body text, data bytea, updated_at timestamptz NOT NULL)");
        pg.update("INSERT INTO docs VALUES (1, 'small', 'x', NULL, '2024-01-01'), "
                + "(2, 'big', repeat('y', 3000000), decode(repeat('ab', 200000), 'hex'), '2024-01-02')");
        Path failed = dir.resolve("failed-rows");
        sync.property("sync.max-value-bytes", "100000");
        sync.property("sync.dead-letter.uri", "file:" + failed);
        sync.table("docs", "table=docs", "cursor=updated_at");
        sync.start();

        assertThat(sync.runOnce("docs")).isTrue();

        Map<String, Object> letter = sync.target().queryForMap("SELECT row_key, error, row_json FROM pgturso_dead_letters");
        assertThat(letter).containsEntry("row_key", "{\"id\":\"2\"}");
        assertThat(letter.get("error").toString()).contains("3000000 bytes", "sync.max-value-bytes");
        String rowJson = letter.get("row_json").toString();
        assertThat(rowJson.length()).as("the dead letter's row is a preview").isLessThan(4_000);
        assertThat(rowJson).contains("\"id\":2", "\"title\":\"big\"", "yyyy", "3000000 bytes", "200000 bytes");
        List<Path> sent = files(failed);
        assertThat(sent).hasSize(1);
        assertThat(Files.size(sent.get(0))).isLessThan(5_000);
    }

    @Test
    void dead_letter_files_are_readable_by_their_owner_only_as_the_target_file_is() throws Exception {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, value float8, updated_at timestamptz NOT NULL)");
        pg.update("INSERT INTO readings VALUES (1, 1.0, '2024-01-01'), (2, 'NaN', '2024-01-02')");
        Path failed = dir.resolve("dead");
        sync.property("sync.dead-letter.uri", "file:" + failed);
        sync.table("readings", "table=readings", "cursor=updated_at");
        sync.start();

        assertThat(sync.runOnce("readings")).isTrue();

        List<Path> sent = files(failed);
        assertThat(sent).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sent.get(0)))).isEqualTo("rw-------")
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("target.db"))));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(failed))).isEqualTo("rwx------");
    }
}
