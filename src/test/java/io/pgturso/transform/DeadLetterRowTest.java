package io.pgturso.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgturso.source.SourceColumn;
import io.pgturso.source.SourceTable;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableSpec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterRowTest {
    private static final SourceTable NOTES = new SourceTable("public", "notes", List.of(
            new SourceColumn("id", "int8", "N", "bigint", true),
            new SourceColumn("body", "text", "S", "text", false),
            new SourceColumn("data", "bytea", "U", "bytea", false)), List.of("id"));
    private static final TableSpec SPEC = TableSpec.resolve(new TableConfig("notes", "notes", "", SyncMode.FULL, List.of(),
            List.of(), List.of(), Map.of(), "", 100, "* * * * * ?", ""), NOTES, true, 1 << 20);

    private static JsonNode json(Object body, Object data) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7L);
        row.put("body", body);
        row.put("data", data);
        return new ObjectMapper().readTree(DeadLetterRow.json(SPEC, row));
    }

    @Test
    void a_long_text_is_cut_at_a_character_boundary_and_marked_with_its_size() throws Exception {
        String body = "é".repeat(5000);

        String preview = json(body, null).get("body").asText();

        String kept = preview.substring(0, preview.indexOf("... [truncated"));
        assertThat(kept).isEqualTo("é".repeat(512));
        assertThat(preview).endsWith("[truncated: 10000 bytes in all]");
    }

    @Test
    void values_up_to_the_bound_are_kept_whole() throws Exception {
        String body = "x".repeat(DeadLetterRow.PREVIEW_BYTES);
        byte[] data = new byte[DeadLetterRow.PREVIEW_BYTES];

        JsonNode row = json(body, data);

        assertThat(row.get("id").asLong()).isEqualTo(7);
        assertThat(row.get("body").asText()).isEqualTo(body);
        assertThat(row.get("data").binaryValue()).isEqualTo(data);
    }

    @Test
    void long_bytes_keep_their_first_bytes_in_base64_and_their_size() throws Exception {
        byte[] data = "0123456789".repeat(200).getBytes(StandardCharsets.US_ASCII);

        String preview = json(null, data).get("data").asText();

        assertThat(preview).startsWith(java.util.Base64.getEncoder().encodeToString("0123456789".repeat(102).substring(0, 1020)
                .getBytes(StandardCharsets.US_ASCII))).endsWith("[truncated: 2000 bytes in all]");
    }
}
