package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Turns pipeline requests into JSON bytes and response bytes back into records. */
public final class HranaCodec {

    // Servers add fields over time (rows_read, replication_index...): ignore what we do not use. libSQL's Python test
    // server writes an infinite REAL as the bare token Infinity (Python's json), which standard JSON has not.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private HranaCodec() {
    }

    public static byte[] encode(PipelineRequest request) {
        return encode(request, 256).toByteArray();
    }

    /** The request's JSON in a body of about {@code capacity} bytes to start with, sent as it is. */
    static RequestBody encode(PipelineRequest request, int capacity) {
        RequestBody body = new RequestBody(capacity);
        try {
            JSON.writeValue(body, request);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a Hrana request", e);
        }
        return body;
    }

    public static PipelineResponse decode(byte[] body) throws IOException {
        return JSON.readValue(body, PipelineResponse.class);
    }

    /** Reads a server error body such as {@code {"error": "..."}}, or null when the body is not one. */
    /** The {@code code} of an HTTP error body such as {@code {"message": ..., "code": "STREAM_EXPIRED"}}, or null. */
    public static String errorCode(byte[] body) {
        try {
            var node = JSON.readTree(body);
            var code = node == null ? null : node.get("code");
            return code != null && code.isTextual() ? code.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public static String errorMessage(byte[] body) {
        try {
            var node = JSON.readTree(body);
            var error = node == null ? null : node.get("error");
            if (error == null) {
                return node != null && node.path("message").isTextual() ? node.get("message").asText() : null;
            }
            return error.isTextual() ? error.asText() : error.path("message").asText(null);
        } catch (IOException e) {
            return null;
        }
    }
}
