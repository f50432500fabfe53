package io.pgturso.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageQueryEncodingTest {
    private static final List<SourceColumn> COLUMNS = List.of(
            new SourceColumn("code", "text", "S", "text", true),
            new SourceColumn("body", "text", "S", "text", false),
            new SourceColumn("n", "int4", "N", "integer", false),
            new SourceColumn("updated_at", "timestamptz", "D", "timestamp with time zone", true));

    private static String page(String encoding) {
        SourceTable table = new SourceTable("public", "notes", COLUMNS, List.of("code"), false, encoding);
        TableSpec spec = TableSpec.resolve(new TableConfig("notes", "notes", "updated_at", SyncMode.TIMESTAMP, List.of(),
                List.of(), List.of(), Map.of(), "", 100, "* * * * * ?", ""), table, true, 1 << 20);
        return ChangeQuery.page(spec, true, false);
    }

    @Test
    void a_utf8_database_reads_text_as_text() {
        assertThat(page("UTF8")).doesNotContain("convert_to")
                .startsWith("SELECT CAST(src.\"code\" AS text) AS \"code\", CAST(src.\"body\" AS text) AS \"body\", src.\"n\" AS \"n\"");
    }

    @Test
    void a_sql_ascii_database_reads_free_text_as_bytes_and_keys_as_text() {
        assertThat(page("SQL_ASCII"))
                .startsWith("SELECT CAST(src.\"code\" AS text) AS \"code\", convert_to(CAST(src.\"body\" AS text), 'SQL_ASCII') AS \"body\", src.\"n\" AS \"n\"");
    }
}
