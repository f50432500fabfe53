package io.pgturso.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test server behaves as the Hrana spec and libsql-server say, checked with raw HTTP requests. */
@Timeout(30)
class LibsqlTestServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LibsqlTestServer server = LibsqlTestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String version, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/" + version + "/pipeline"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String version, String body) throws Exception {
        HttpResponse<String> response = post(version, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String execute(String sql) {
        return "{\"type\":\"execute\",\"stmt\":{\"sql\":\"" + sql + "\"}}";
    }

    private static String pipeline(String baton, String... requests) {
        return "{\"baton\":" + (baton == null ? "null" : "\"" + baton + "\"") + ",\"requests\":["
                + String.join(",", requests) + "]}";
    }

    @Test
    void a_baton_keeps_the_stream_and_its_transaction_until_close() throws Exception {
        ok("v2", pipeline(null, execute("CREATE TABLE t (x INTEGER)"), "{\"type\":\"close\"}"));
        JsonNode first = ok("v2", pipeline(null, execute("BEGIN"), execute("INSERT INTO t VALUES (1)")));
        String baton = first.path("baton").asText();
        assertThat(server.openStreams()).isEqualTo(1);
        JsonNode elsewhere = ok("v2", pipeline(null, execute("SELECT count(*) FROM t"), "{\"type\":\"close\"}"));
        assertThat(elsewhere.at("/results/0/response/result/rows/0/0/value").asText()).isEqualTo("0");
        server.baseUrl(server.url() + "/");
        JsonNode next = ok("v2", pipeline(baton, execute("SELECT 1")));
        assertThat(next.path("base_url").asText()).isEqualTo(server.url() + "/");
        assertThat(post("v2", pipeline(baton, execute("SELECT 1"))).statusCode()).as("a baton is used once").isEqualTo(400);
        ok("v2", pipeline(next.path("baton").asText(), execute("COMMIT"), "{\"type\":\"close\"}"));
        assertThat(server.openStreams()).isZero();
        assertThat(post("v2", pipeline(baton, execute("SELECT 1"))).statusCode()).isEqualTo(400);
    }

    @Test
    void an_idle_stream_expires_and_its_baton_gets_STREAM_EXPIRED() throws Exception {
        server.streamIdleTimeout(Duration.ofMillis(100));
        String baton = ok("v2", pipeline(null, execute("SELECT 1"))).path("baton").asText();
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> server.openStreams() == 0);
        HttpResponse<String> response = post("v2", pipeline(baton, execute("SELECT 1")));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo("STREAM_EXPIRED");
    }

    @Test
    void is_autocommit_is_refused_on_v2_and_guards_steps_on_v3() throws Exception {
        String batch = "{\"type\":\"batch\",\"batch\":{\"steps\":[{\"stmt\":{\"sql\":\"SELECT 1\"}},"
                + "{\"condition\":{\"type\":\"not\",\"cond\":{\"type\":\"is_autocommit\"}},\"stmt\":{\"sql\":\"SELECT 2\"}},"
                + "{\"condition\":{\"type\":\"and\",\"conds\":[{\"type\":\"ok\",\"step\":0},{\"type\":\"is_autocommit\"}]},"
                + "\"stmt\":{\"sql\":\"SELECT 3\"}}]}}";
        assertThat(post("v2", pipeline(null, batch)).statusCode()).isEqualTo(400);
        JsonNode result = ok("v3", pipeline(null, batch, "{\"type\":\"close\"}")).at("/results/0/response/result");
        assertThat(result.path("step_results").get(1).isNull()).isTrue();
        assertThat(result.path("step_results").get(2).path("rows").get(0).get(0).path("value").asText())
                .isEqualTo("3");
    }

    @Test
    void errors_carry_libsql_server_codes_and_counts_are_real() throws Exception {
        JsonNode results = ok("v2", pipeline(null,
                execute("CREATE TABLE k (id INTEGER PRIMARY KEY)"),
                execute("INSERT INTO k VALUES (1), (2)"),
                execute("INSERT INTO k VALUES (1)"),
                execute("SELEC 1"),
                execute("SELECT 9e999, -9e999"),
                "{\"type\":\"close\"}")).path("results");
        assertThat(results.at("/1/response/result/affected_row_count").asLong()).isEqualTo(2);
        assertThat(results.at("/1/response/result/last_insert_rowid").asText()).isEqualTo("2");
        assertThat(results.at("/2/error/code").asText()).isEqualTo("SQLITE_CONSTRAINT");
        assertThat(results.at("/2/error/message").asText()).contains("UNIQUE constraint failed: k.id");
        assertThat(results.at("/3/error/code").asText()).isEqualTo("SQL_PARSE_ERROR");
        assertThat(results.at("/4/response/result/rows/0/0/type").asText()).isEqualTo("float");
        assertThat(results.at("/4/response/result/rows/0/0/value").isNull()).isTrue();
    }

    @Test
    void limits_tokens_and_faults_answer_as_configured() throws Exception {
        server.maxResponseBytes(1000).maxRequestBytes(2000);
        JsonNode big = ok("v2", pipeline(null, execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                + "WHERE i < 500) SELECT i, 'padding padding' FROM n"), "{\"type\":\"close\"}"));
        assertThat(big.at("/results/0/error/code").asText()).isEqualTo("RESPONSE_TOO_LARGE");
        assertThat(post("v2", pipeline(null, execute("SELECT '" + "x".repeat(3000) + "'"))).statusCode())
                .isEqualTo(413);
        server.token("secret");
        assertThat(post("v2", pipeline(null, execute("SELECT 1"))).statusCode()).isEqualTo(401);
        server.token(null);
        server.inject(LibsqlTestServer.Fault.statusAfter(503));
        assertThat(post("v2", pipeline(null, execute("CREATE TABLE applied (x)"), "{\"type\":\"close\"}"))
                .statusCode()).isEqualTo(503);
        server.inject(LibsqlTestServer.Fault.resetAfter());
        CompletableFuture<HttpResponse<String>> reset = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(server.url() + "/v2/pipeline"))
                .POST(HttpRequest.BodyPublishers.ofString(pipeline(null, execute("SELECT 1")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reset).failsWithin(Duration.ofSeconds(10));
        try (Connection file = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
             ResultSet rows = file.getMetaData().getTables(null, null, "applied", null)) {
            assertThat(rows.next()).as("the write before the injected 503 was applied").isTrue();
        }
    }

    @Test
    void a_body_over_the_request_limit_is_refused_with_413_before_it_runs_as_aiohttp_does() throws Exception {
        server.maxRequestBytes(1024 * 1024);
        String create = execute("CREATE TABLE refused (x TEXT)");
        String padding = execute("SELECT '" + "x".repeat(1024 * 1024) + "'");
        HttpResponse<String> refused = post("v2", pipeline(null, create, padding, "{\"type\":\"close\"}"));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).startsWith("Maximum request body size 1048576 exceeded, actual body size ");
        String empty = pipeline(null, execute("SELECT ''"), "{\"type\":\"close\"}");
        String fits = pipeline(null, execute("SELECT '" + "x".repeat(1024 * 1024 - empty.length()) + "'"),
                "{\"type\":\"close\"}");
        assertThat(fits).as("a body of exactly the limit").hasSize(1024 * 1024);
        assertThat(post("v2", fits).statusCode()).isEqualTo(200);
        assertThat(server.requests()).isEqualTo(2);
        assertThat(server.refusedAsTooLarge()).isEqualTo(1);
        assertThat(server.pipelines()).as("the refused body was not run").isEqualTo(1);
        JsonNode tables = ok("v2", pipeline(null, execute("SELECT count(*) FROM sqlite_master WHERE name = 'refused'"),
                "{\"type\":\"close\"}"));
        assertThat(tables.at("/results/0/response/result/rows/0/0/value").asText()).isEqualTo("0");
    }

    @Test
    void infinite_reals_are_written_as_bare_Infinity_tokens_as_python_json_does_when_asked() throws Exception {
        String select = pipeline(null, execute("SELECT 9e999, -9e999, 1.5"), "{\"type\":\"close\"}");
        assertThat(post("v2", select).body()).as("libsql-server's way by default")
                .contains("{\"type\":\"float\",\"value\":null}").doesNotContain("Infinity");
        server.infinityTokens(true);
        String body = post("v2", select).body();
        assertThat(body).contains("{\"type\":\"float\",\"value\":Infinity}",
                "{\"type\":\"float\",\"value\":-Infinity}", "{\"type\":\"float\",\"value\":1.5}");
    }

    @Test
    void a_write_transaction_held_too_long_is_rolled_back_when_another_writer_waits() throws Exception {
        server.transactionTimeout(Duration.ofMillis(200));
        ok("v2", pipeline(null, execute("CREATE TABLE w (x INTEGER)"), "{\"type\":\"close\"}"));
        String holder = ok("v2", pipeline(null, execute("BEGIN"), execute("INSERT INTO w VALUES (1)")))
                .path("baton").asText();
        JsonNode waiter = ok("v2", pipeline(null, execute("INSERT INTO w VALUES (2)"), "{\"type\":\"close\"}"));
        assertThat(waiter.at("/results/0/type").asText()).isEqualTo("ok");
        JsonNode late = ok("v2", pipeline(holder, execute("COMMIT"), "{\"type\":\"close\"}"));
        assertThat(late.at("/results/0/error/code").asText()).isEqualTo("TRANSACTION_TIMEOUT");
        JsonNode count = ok("v2", pipeline(null, execute("SELECT group_concat(x) FROM w"), "{\"type\":\"close\"}"));
        assertThat(count.at("/results/0/response/result/rows/0/0/value").asText()).isEqualTo("2");
    }

    @Test
    void a_writer_waiting_for_the_lock_runs_once_the_holder_commits() throws Exception {
        ok("v2", pipeline(null, execute("CREATE TABLE q (x INTEGER)"), "{\"type\":\"close\"}"));
        String holder = ok("v2", pipeline(null, execute("BEGIN"), execute("INSERT INTO q VALUES (1)")))
                .path("baton").asText();
        CompletableFuture<JsonNode> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return ok("v2", pipeline(null, execute("INSERT INTO q VALUES (2)"), "{\"type\":\"close\"}"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !waiter.isDone());
        ok("v2", pipeline(holder, execute("COMMIT"), "{\"type\":\"close\"}"));
        JsonNode waited = waiter.get(2, TimeUnit.SECONDS);
        assertThat(waited.at("/results/0/type").asText()).as(waited.toString()).isEqualTo("ok");
        JsonNode rows = ok("v2", pipeline(null, execute("SELECT group_concat(x) FROM q"), "{\"type\":\"close\"}"));
        assertThat(rows.at("/results/0/response/result/rows/0/0/value").asText()).isEqualTo("1,2");
    }
}
