package io.pgturso.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceRowTest {
    private static SourceRow row(Object... values) {
        return new SourceRow(SourceRow.Labels.of(new String[] {"id", "Id", "note"}), values);
    }

    @Test
    void reads_values_by_exact_label_and_equals_the_plain_map_of_them() {
        SourceRow row = row(1L, "upper", null);
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("id", 1L);
        plain.put("Id", "upper");
        plain.put("note", null);

        assertThat(row.get("id")).isEqualTo(1L);
        assertThat(row.get("Id")).isEqualTo("upper");
        assertThat(row.get("ID")).isNull();
        assertThat(row.containsKey("note")).isTrue();
        assertThat(row.containsKey("missing")).isFalse();
        assertThat(row).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(new HashMap<>(row)).isEqualTo(plain);
        assertThat(row.keySet()).containsExactly("id", "Id", "note");
    }

    @Test
    void put_replaces_a_column_value_or_adds_another_key() {
        SourceRow row = row(1L, "upper", null);

        assertThat(row.put("note", "set")).isNull();
        assertThat(row.put("extra", 5)).isNull();

        assertThat(row.get("note")).isEqualTo("set");
        assertThat(row.get("extra")).isEqualTo(5);
        assertThat(row).hasSize(4).containsEntry("extra", 5).containsEntry("id", 1L);
    }

    @Test
    void repeated_labels_leave_the_row_to_a_plain_map() {
        assertThat(SourceRow.Labels.of(new String[] {"a", "b", "a"})).isNull();
        assertThat(SourceRow.Labels.of(new String[] {"a", "b"})).isNotNull();
    }
}
