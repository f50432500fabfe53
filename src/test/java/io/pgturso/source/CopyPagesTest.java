package io.pgturso.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A page query's parameters written into it as literals, as COPY takes none. */
class CopyPagesTest {
    @Test
    void positions_are_written_as_escape_string_literals_and_the_page_size_as_a_number() {
        String sql = "SELECT * FROM t WHERE (k) > (CAST(? AS text)) LIMIT ?";

        assertThat(CopyPages.inline(sql, List.of("O'Br\\ien", 5000)))
                .isEqualTo("SELECT * FROM t WHERE (k) > (CAST(E'O''Br\\\\ien' AS text)) LIMIT 5000");
    }

    @Test
    void a_query_with_a_question_mark_of_its_own_is_left_to_the_driver() {
        assertThat(CopyPages.inline("SELECT * FROM t WHERE note <> '?' AND k > CAST(? AS text) LIMIT ?", List.of("a", 10)))
                .isNull();
    }

    @Test
    void a_value_of_another_type_is_left_to_the_driver() {
        assertThat(CopyPages.inline("SELECT * FROM t WHERE k > ? LIMIT ?", List.of(1.5, 10))).isNull();
    }
}
