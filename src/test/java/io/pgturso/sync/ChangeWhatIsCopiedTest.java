package io.pgturso.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** Row hooks, filters, computed columns and dead-letter endpoints, through camel-main, the real routes and the shipped examples. */
@Timeout(120)
class ChangeWhatIsCopiedTest {
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

    private void enableExample(String file) throws IOException {
        Path examples = Path.of(System.getProperty("project.dir", ".")).resolve("routes/examples");
        Files.copy(examples.resolve(file), dir.resolve("routes").resolve(file));
    }

    private void customers() {
        pg.execute("CREATE TABLE customers (id int PRIMARY KEY, email text, ssn text, tenant text, qty int, "
                + "first_name text, last_name text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO customers VALUES (1, 'ada@example.com', '123-45-6789', 'acme', 150, 'Ada', 'Lovelace', '2024-01-01'), "
                + "(2, 'bob@example.com', '987-65-4321', 'test-1', 3, 'Bob', NULL, '2024-01-02'), "
                + "(3, NULL, NULL, 'globex', 100, 'Cy', 'Young', '2024-01-03')");
    }

    private List<String> targetColumns(String table) {
        return sync.target().queryForList("SELECT name FROM pragma_table_info('" + table + "')", String.class);
    }

    @Test
    void the_mask_email_example_stores_the_sha256_of_each_email() throws Exception {
        customers();
        enableExample("mask-email.camel.yaml");
        sync.table("customers", "table=customers", "cursor=updated_at", "transform=direct:mask-email");
        sync.start();

        assertThat(sync.runOnce("customers")).isTrue();

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("ada@example.com".getBytes(StandardCharsets.UTF_8)));
        assertThat(sync.target().queryForObject("SELECT email FROM customers WHERE id = 1", String.class)).isEqualTo(expected);
        assertThat(sync.target().queryForObject("SELECT email FROM customers WHERE id = 3", String.class)).isNull();
        assertThat(sync.target().queryForObject("SELECT first_name FROM customers WHERE id = 1", String.class)).isEqualTo("Ada");
    }

    @Test
    void the_drop_pii_example_keeps_a_derived_column_and_never_creates_the_dropped_one() throws Exception {
        customers();
        enableExample("drop-pii.camel.yaml");
        sync.table("customers", "table=customers", "cursor=updated_at", "transform=direct:drop-pii",
                "addColumns=ssn_last4:TEXT", "dropColumns=ssn");
        sync.start();

        assertThat(sync.runOnce("customers")).isTrue();

        assertThat(targetColumns("customers")).contains("ssn_last4").doesNotContain("ssn");
        assertThat(sync.target().queryForList("SELECT ssn_last4 FROM customers ORDER BY id", String.class))
                .containsExactly("6789", "4321", null);
    }

    @Test
    void the_derive_column_example_adds_a_typed_column_the_hook_fills() throws Exception {
        customers();
        enableExample("derive-column.camel.yaml");
        sync.table("customers", "table=customers", "cursor=updated_at", "transform=direct:derive-order-size", "addColumns=size:TEXT");
        sync.start();

        assertThat(sync.runOnce("customers")).isTrue();

        assertThat(sync.target().queryForList("SELECT size FROM customers ORDER BY id", String.class)).containsExactly("bulk", "single", "bulk");
        assertThat(sync.target().queryForObject("SELECT type FROM pragma_table_info('customers') WHERE name = 'size'", String.class)).isEqualTo("TEXT");
    }

    @Test
    void the_skip_test_tenants_example_skips_rows_and_counts_them_as_skipped_not_written() throws Exception {
        customers();
        enableExample("skip-test-tenants.camel.yaml");
        sync.table("customers", "table=customers", "cursor=updated_at", "transform=direct:skip-test-tenants");
        sync.start();

        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(sync.runOnce("customers")).isTrue();
            assertThat(logs.text()).contains("customers: 2 rows written, 1 skipped, 0 dead-lettered");
        }

        assertThat(sync.target().queryForList("SELECT id FROM customers ORDER BY id", Long.class)).containsExactly(1L, 3L);
        assertThat(sync.target().queryForObject("SELECT rows_written FROM pgturso_checkpoints WHERE sync_table = 'customers'", Long.class))
                .isEqualTo(2);
    }

    @Test
    void a_hook_that_fails_on_a_row_dead_letters_it_to_the_table_and_the_dead_letters_to_files_example() throws Exception {
        customers();
        enableExample("dead-letters-to-files.camel.yaml");
        Path failed = dir.resolve("failed-rows");
        Files.writeString(dir.resolve("routes/fussy.camel.yaml"), """
                - route:
                    id: fussy
                    routeConfigurationId: row-hook
                    from:
                      uri: direct:fussy
                      steps:
                        - filter:
                            simple:
                              expression: "${body[last_name]} == null"
                            steps:
                              - throwException:
                                  exceptionType: java.lang.IllegalArgumentException
                                  message: "no last name"
                """);
        sync.property("sync.dead-letter.uri", "direct:dead-letters-to-files");
        sync.property("dead-letter-files.directory", failed.toString());
        sync.table("customers", "table=customers", "cursor=updated_at", "transform=direct:fussy");
        sync.start();

        assertThat(sync.runOnce("customers")).isTrue();

        assertThat(sync.target().queryForList("SELECT id FROM customers ORDER BY id", Long.class)).containsExactly(1L, 3L);
        Map<String, Object> letter = sync.target().queryForMap("SELECT row_key, stage, error FROM pgturso_dead_letters");
        assertThat(letter).containsEntry("row_key", "{\"id\":\"2\"}").containsEntry("stage", "transform");
        assertThat(letter.get("error").toString()).contains("direct:fussy").contains("no last name");
        try (Stream<Path> files = Files.list(failed)) {
            List<Path> written = files.toList();
            assertThat(written).hasSize(1);
            assertThat(written.get(0).getFileName().toString()).startsWith("customers-").endsWith(".json");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(0))))
                    .as("readable by its owner only").isEqualTo("rw-------");
            assertThat(Files.readString(written.get(0))).contains("\"table\":\"customers\"").contains("\"key\":{\"id\":\"2\"}")
                    .contains("\"stage\":\"transform\"").contains("\"email\":\"bob@example.com\"").contains("no last name");
        }

        // fixed in Postgres without moving the cursor: replay sends the row through the hook again, and it lands
        pg.update("UPDATE customers SET last_name = 'Builder' WHERE id = 2");
        sync.stop();
        SyncHarness.CliResult replay = sync.cli("replay");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(sync.target().queryForObject("SELECT last_name FROM customers WHERE id = 2", String.class)).isEqualTo("Builder");
        assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
    }

    @Test
    void dead_letters_go_to_a_file_endpoint_named_in_properties() throws Exception {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, value float8, updated_at timestamptz NOT NULL)");
        pg.update("INSERT INTO readings VALUES (1, 1.0, '2024-01-01'), (2, 'NaN', '2024-01-02')");
        Path failed = dir.resolve("dead");
        sync.property("sync.dead-letter.uri", "file:" + failed);
        sync.table("readings", "table=readings", "cursor=updated_at");
        sync.start();

        assertThat(sync.runOnce("readings")).isTrue();

        try (Stream<Path> files = Files.list(failed)) {
            List<Path> written = files.toList();
            assertThat(written).hasSize(1);
            assertThat(Files.readString(written.get(0))).contains("\"table\":\"readings\"").contains("\"stage\":\"transform\"")
                    .contains("NaN");
        }
        assertThat(sync.target().queryForObject("SELECT count(*) FROM readings", Long.class)).isEqualTo(1);
    }

    @Test
    void where_copies_only_matching_rows_and_a_row_that_stops_matching_leaves_the_target() {
        pg.execute("CREATE TABLE accounts (id int PRIMARY KEY, tenant_id int, name text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO accounts VALUES (1, 42, 'a', '2024-01-01'), (2, 7, 'b', '2024-01-02'), (3, 42, 'c', '2024-01-03')");
        sync.table("accounts", "table=accounts", "cursor=updated_at", "where=tenant_id = 42");
        sync.start();
        assertThat(sync.runOnce("accounts")).isTrue();
        assertThat(sync.target().queryForList("SELECT id FROM accounts ORDER BY id", Long.class)).containsExactly(1L, 3L);

        pg.update("UPDATE accounts SET tenant_id = 7, updated_at = now() WHERE id = 3");
        pg.update("UPDATE accounts SET tenant_id = 42, updated_at = now() WHERE id = 2");
        assertThat(sync.runOnce("accounts")).isTrue();

        assertThat(sync.target().queryForList("SELECT id FROM accounts ORDER BY id", Long.class)).containsExactly(1L, 2L);
        SyncHarness.CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as("verify compares the rows that match where: " + verify.out() + verify.err()).isZero();
    }

    @Test
    void replaying_a_dead_letter_whose_row_no_longer_matches_where_removes_it_instead_of_writing_it() {
        pg.execute("CREATE TABLE accounts (id int PRIMARY KEY, tenant_id int, score float8, updated_at timestamptz NOT NULL)");
        pg.update("INSERT INTO accounts VALUES (1, 42, 1.0, '2024-01-01'), (2, 42, 'NaN', '2024-01-02')");
        sync.table("accounts", "table=accounts", "cursor=updated_at", "where=tenant_id = 42");
        assertThat(sync.cli("once").exitCode()).isZero();
        assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isEqualTo(1);

        pg.update("UPDATE accounts SET tenant_id = 7, score = 2.0 WHERE id = 2");
        SyncHarness.CliResult replay = sync.cli("replay");

        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(sync.target().queryForList("SELECT id FROM accounts", Long.class)).containsExactly(1L);
        assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
    }

    @Test
    void computed_columns_are_evaluated_by_postgres_and_typed_from_their_result() {
        customers();
        sync.table("customers", "table=customers", "cursor=updated_at", "columns=id,updated_at",
                "expressions=full_name: first_name || ' ' || coalesce(last_name, '?'), doubled: qty * 2, big: qty >= 100");
        sync.start();

        assertThat(sync.runOnce("customers")).isTrue();

        Map<String, Object> row = sync.target().queryForMap("SELECT full_name, doubled, big, typeof(doubled) AS t FROM customers WHERE id = 1");
        assertThat(row).containsEntry("full_name", "Ada Lovelace").containsEntry("t", "integer");
        assertThat(((Number) row.get("doubled")).longValue()).isEqualTo(300L);
        assertThat(((Number) row.get("big")).intValue()).isEqualTo(1);
        assertThat(sync.target().queryForObject("SELECT full_name FROM customers WHERE id = 2", String.class)).isEqualTo("Bob ?");
        SyncHarness.CliResult verify = sync.cli("verify");
        assertThat(verify.exitCode()).as("verify compares computed columns too: " + verify.out() + verify.err()).isZero();
    }

    @Test
    void a_bad_where_or_expression_or_missing_hook_route_stops_the_start_with_the_problem_named() {
        customers();
        sync.table("customers", "table=customers", "cursor=updated_at", "where=tenant_idd = 42");
        sync.table("others", "table=customers", "cursor=updated_at", "targetTable=others", "expressions=x: nosuch(1)");
        sync.table("hooked", "table=customers", "cursor=updated_at", "targetTable=hooked", "transform=direct:nowhere");

        SyncHarness.CliResult result = sync.cli("once");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("tenant_idd").contains("nosuch").contains("direct:nowhere");
    }

    @Test
    void editing_a_hook_route_file_applies_on_reload() throws Exception {
        customers();
        Path hook = dir.resolve("routes/tag.camel.yaml");
        Files.writeString(hook, tagHook("v1"));
        sync.table("customers", "table=customers", "cursor=updated_at", "transform=direct:tag", "addColumns=tag:TEXT");
        var app = sync.start(true);
        assertThat(sync.runOnce("customers")).isTrue();
        assertThat(sync.target().queryForObject("SELECT tag FROM customers WHERE id = 1", String.class))
                .as("a header named like a column sets it").isEqualTo("v1 Ada customers");

        Files.writeString(hook, tagHook("v2"));
        ModelCamelContext model = (ModelCamelContext) app.camel();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(model.getRouteDefinition("tag")).isNotNull();
            assertThat(model.getRouteDefinition("tag").toString()).contains("v2 ");
            assertThat(app.camel().getRoute("customers")).isNotNull();
        });
        pg.update("UPDATE customers SET updated_at = now() WHERE id = 1");
        // one edit may reach the watcher as two events: a pass caught by the second reload fails and is simply run again
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sync.runOnce("customers")).isTrue();
            assertThat(sync.target().queryForObject("SELECT tag FROM customers WHERE id = 1", String.class)).isEqualTo("v2 Ada customers");
        });
    }

    private static String tagHook(String tag) {
        return """
                - route:
                    id: tag
                    from:
                      uri: direct:tag
                      steps:
                        - setHeader:
                            name: tag
                            simple:
                              expression: "%s ${body[first_name]} ${header.syncTable}"
                """.formatted(tag);
    }
}
