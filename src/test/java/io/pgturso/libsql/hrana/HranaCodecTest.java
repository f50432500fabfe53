package io.pgturso.libsql.hrana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON shape of requests and the reading of responses, without a server. */
class HranaCodecTest {

    private static String json(PipelineRequest request) {
        return new String(HranaCodec.encode(request), StandardCharsets.UTF_8);
    }

    @Test
    void integers_are_sent_as_decimal_strings_and_floats_as_numbers() {
        String json = json(PipelineRequest.of(StreamRequest.execute(Stmt.of("SELECT ?, ?, ?, ?, ?", List.of(
                Value.of(Long.MIN_VALUE), Value.of(-0.5), Value.of("x\"y"), Value.of(new byte[] {0, 1, 2, (byte) 255}),
                Value.NULL)))));
        assertThat(json).isEqualTo("{\"baton\":null,\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":"
                + "\"SELECT ?, ?, ?, ?, ?\",\"args\":[{\"type\":\"integer\",\"value\":\"-9223372036854775808\"},"
                + "{\"type\":\"float\",\"value\":-0.5},{\"type\":\"text\",\"value\":\"x\\\"y\"},"
                + "{\"type\":\"blob\",\"base64\":\"AAEC/w==\"},{\"type\":\"null\"}],\"want_rows\":true}}]}");
    }

    @Test
    void batch_steps_carry_their_conditions() {
        String json = json(PipelineRequest.of(StreamRequest.batch(List.of(
                BatchStep.always(Stmt.of("BEGIN")),
                BatchStep.when(BatchCondition.and(List.of(BatchCondition.ok(0),
                        BatchCondition.not(BatchCondition.error(0)), BatchCondition.or(List.of(
                                BatchCondition.isAutocommit())))), Stmt.of("COMMIT"))))));
        assertThat(json).contains("{\"stmt\":{\"sql\":\"BEGIN\",\"args\":[],\"want_rows\":true}}")
                .contains("\"condition\":{\"type\":\"and\",\"conds\":[{\"type\":\"ok\",\"step\":0},"
                        + "{\"type\":\"not\",\"cond\":{\"type\":\"error\",\"step\":0}},"
                        + "{\"type\":\"or\",\"conds\":[{\"type\":\"is_autocommit\"}]}]}");
    }

    @Test
    void infinite_floats_are_read_as_null_without_sign_and_as_bare_Infinity_tokens_with_it() throws IOException {
        String body = "{\"baton\":null,\"base_url\":null,\"results\":[{\"type\":\"ok\",\"response\":{\"type\":"
                + "\"execute\",\"result\":{\"cols\":[],\"rows\":[[{\"type\":\"float\",\"value\":null},"
                + "{\"type\":\"float\",\"value\":Infinity},{\"type\":\"float\",\"value\":-Infinity},"
                + "{\"type\":\"float\",\"value\":2.5}]],\"affected_row_count\":0,\"last_insert_rowid\":null}}}]}";
        PipelineResponse response = HranaCodec.decode(body.getBytes(StandardCharsets.UTF_8));

        StreamResult.Ok ok = (StreamResult.Ok) response.results().get(0);
        StatementResult result = ((StreamResponse.Execute) ok.response()).result();
        assertThat(result.rows().get(0)).containsExactly(Value.of(Double.POSITIVE_INFINITY),
                Value.of(Double.POSITIVE_INFINITY), Value.of(Double.NEGATIVE_INFINITY), Value.of(2.5));
    }

    @Test
    void responses_are_read_with_skipped_steps_errors_and_unpadded_base64() throws IOException {
        String body = "{\"baton\":null,\"base_url\":null,\"results\":[{\"type\":\"ok\",\"response\":{\"type\":\"batch\","
                + "\"result\":{\"step_results\":[{\"cols\":[{\"name\":\"b\",\"decltype\":\"BLOB\"}],"
                + "\"rows\":[[{\"type\":\"blob\",\"base64\":\"AAEC/w\"}]],\"affected_row_count\":0,"
                + "\"last_insert_rowid\":null,\"rows_read\":1},null,null],\"step_errors\":[null,{\"message\":"
                + "\"UNIQUE constraint failed: t.id (19)\",\"code\":\"BATCH_STEP_ERROR\"},null]}}},"
                + "{\"type\":\"error\",\"error\":{\"message\":\"near x: syntax error\",\"code\":\"PREPARE_ERROR\"}}]}";
        PipelineResponse response = HranaCodec.decode(body.getBytes(StandardCharsets.UTF_8));

        StreamResult.Ok ok = (StreamResult.Ok) response.results().get(0);
        BatchResult batch = ((StreamResponse.Batch) ok.response()).result();
        assertThat(batch.result(0).cols()).containsExactly(new Column("b", "BLOB"));
        assertThat(batch.result(0).rows().get(0)).containsExactly(Value.of(new byte[] {0, 1, 2, (byte) 255}));
        assertThat(batch.error(1)).isEqualTo(new HranaError("UNIQUE constraint failed: t.id (19)", "BATCH_STEP_ERROR"));
        assertThat(batch.skipped(2)).isTrue();
        assertThat(batch.succeeded(1)).isFalse();
        assertThat(response.results().get(1)).isEqualTo(new StreamResult.Failed(
                new HranaError("near x: syntax error", "PREPARE_ERROR")));
    }

    @Test
    void integer_values_keep_all_64_bits_when_read() throws IOException {
        String body = "{\"baton\":null,\"results\":[{\"type\":\"ok\",\"response\":{\"type\":\"execute\",\"result\":"
                + "{\"cols\":[],\"rows\":[[{\"type\":\"integer\",\"value\":\"9223372036854775807\"},"
                + "{\"type\":\"float\",\"value\":1e308},{\"type\":\"null\"}]],\"affected_row_count\":3,"
                + "\"last_insert_rowid\":\"42\"}}}]}";
        StatementResult result = ((StreamResponse.Execute) ((StreamResult.Ok) HranaCodec.decode(
                body.getBytes(StandardCharsets.UTF_8)).results().get(0)).response()).result();
        assertThat(result.rows().get(0)).containsExactly(Value.of(Long.MAX_VALUE), Value.of(1e308), Value.NULL);
        assertThat(result.affectedRowCount()).isEqualTo(3);
        assertThat(result.lastInsertRowidOrNull()).isEqualTo(42L);
    }

    @Test
    void error_bodies_of_failed_http_requests_are_read() {
        assertThat(HranaCodec.errorMessage("{\"error\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("Unauthorized");
        assertThat(HranaCodec.errorMessage("<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void tokens_never_show_in_text() {
        AuthToken token = AuthToken.ofNullable("secret-token-123");
        assertThat(token).hasToString("AuthToken[redacted]");
        assertThat(token.scrub("echo secret-token-123 back")).isEqualTo("echo [redacted] back");
        assertThat(AuthToken.ofNullable("  ")).isNull();
    }

    @Test
    void sql_written_as_json_text_is_sent_as_the_same_string_as_the_text_itself() throws IOException {
        String text = "SELECT 'a''b', \"q\", 'back\\slash', '\n\t\r\b\f\u0001\u001f\u007f', 'é ß 中 \uFFFF', '\uD83D\uDE00', "
                + "'lone \uD800 and \uDC00', 12";
        SqlJsonText json = new SqlJsonText(4);
        json.append("SELECT ");
        assertThat(json.appendQuoted("a'b")).isTrue();
        json.append(", \"q\", ");
        json.appendQuoted("back\\slash");
        json.appendAscii(',').append(" ");
        json.appendQuoted("\n\t\r\b\f\u0001\u001f\u007f");
        json.appendEscaped(SqlJsonText.escaped(", "));
        json.appendQuoted("é ß 中 \uFFFF");
        json.append(", ");
        json.appendQuoted("\uD83D\uDE00");
        json.append(", ");
        assertThat(json.appendQuoted("no\0")).isFalse();
        json.appendQuoted("lone \uD800 and \uDC00");
        json.append(", ").append(12L);
        Stmt stmt = json.stmt(List.of(Value.of(1)), false);

        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var sent = mapper.readTree(HranaCodec.encode(PipelineRequest.of(StreamRequest.execute(stmt))));
        var asText = mapper.readTree(HranaCodec.encode(PipelineRequest.of(StreamRequest.execute(
                new Stmt(text, List.of(Value.of(1)), false)))));
        assertThat(sent).isEqualTo(asText);
        assertThat(sent.at("/requests/0/stmt/sql").asText()).isEqualTo(text);
        assertThat(stmt.sql()).isEqualTo(text);
        assertThat(stmt).isEqualTo(new Stmt(text, List.of(Value.of(1)), false));
    }

    @Test
    void integers_of_every_size_are_written_as_their_decimal_digits() {
        SqlJsonText json = new SqlJsonText(1);
        for (long v : new long[] {0, 9, 10, -1, -10, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            json.append(v).appendAscii(' ');
        }
        assertThat(json.stmt(List.of(), false).sql())
                .isEqualTo("0 9 10 -1 -10 1234567890123 9223372036854775807 -9223372036854775808 ");
    }
}
