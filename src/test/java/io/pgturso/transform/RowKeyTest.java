package io.pgturso.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored form of a key stays what Jackson wrote: the key index and the dead letters hold keys written before. */
class RowKeyTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void a_key_is_stored_exactly_as_jackson_writes_it_whatever_its_characters() throws Exception {
        List<String> values = new ArrayList<>(List.of("42", "", "a\"b", "back\\slash", "slash/", "tab\tnew\nline\r",
                "caf\u00e9 \u4e2d\u6587", "emoji \ud83d\ude00", "lone \ud83d surrogate", "\u2028\u2029", "\u007f\u0080\u00ff",
                "2024-01-01 00:00:00+00", "{\"id\":\"1\"}"));
        StringBuilder everyAscii = new StringBuilder();
        for (char c = 0; c < 128; c++) {
            everyAscii.append(c);
        }
        values.add(everyAscii.toString());
        for (String value : values) {
            Map<String, String> one = new LinkedHashMap<>();
            one.put("id", value);
            assertThat(new RowKey(one).json()).as(value).isEqualTo(JACKSON.writeValueAsString(one));
            Map<String, String> two = new LinkedHashMap<>();
            two.put("tenant \"x\"", value);
            two.put("id", null);
            two.put("n\u00e9", "7");
            assertThat(new RowKey(two).json()).as(value).isEqualTo(JACKSON.writeValueAsString(two));
            assertThat(RowKey.parse(new RowKey(two).json()).values()).isEqualTo(two);
        }
    }
}
