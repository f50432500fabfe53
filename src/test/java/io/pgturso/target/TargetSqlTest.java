package io.pgturso.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.source.ChangeQuery;
import io.pgturso.source.SourceColumn;
import io.pgturso.source.SourceTable;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetSqlTest {
    private static final SourceTable ORDERS = new SourceTable("public", "Orders", List.of(
            new SourceColumn("id", "int8", "N", "bigint", true),
            new SourceColumn("Note \"x\"", "text", "S", "text", false),
            new SourceColumn("updated_at", "timestamptz", "D", "timestamp with time zone", true)), List.of("id"));

    private static TableSpec spec(String cursor, SyncMode mode) {
        return TableSpec.resolve(new TableConfig("orders", "Orders", cursor, mode, List.of(), List.of(), List.of(),
                Map.of(), "", 100, "* * * * * ?", ""), ORDERS, true, 1 << 20);
    }

    @Test
    void upsert_updates_in_place_and_never_lets_an_older_version_win() {
        String sql = TargetSql.upsert(spec("updated_at", SyncMode.TIMESTAMP));

        assertThat(sql).startsWith("INSERT INTO \"Orders\" (\"id\", \"Note \"\"x\"\"\", \"updated_at\") VALUES (?, ?, ?) ON CONFLICT (\"id\") DO UPDATE SET")
                .contains("\"updated_at\" = excluded.\"updated_at\"")
                .contains("WHERE (excluded.\"updated_at\" IS NULL OR \"Orders\".\"updated_at\" IS NULL OR excluded.\"updated_at\" >= \"Orders\".\"updated_at\") AND (")
                .doesNotContain("REPLACE");
    }

    @Test
    void upsert_without_cursor_always_takes_the_newest_read_but_writes_nothing_for_an_equal_row() {
        assertThat(TargetSql.upsert(spec("", SyncMode.FULL))).endsWith("WHERE (excluded.\"Note \"\"x\"\"\" IS NOT \"Orders\".\"Note \"\"x\"\"\" "
                + "OR excluded.\"updated_at\" IS NOT \"Orders\".\"updated_at\")");
    }

    @Test
    void create_table_declares_the_mapped_types_and_the_key() {
        assertThat(TargetSql.createTable(spec("updated_at", SyncMode.TIMESTAMP))).isEqualTo(
                "CREATE TABLE IF NOT EXISTS \"Orders\" (\"id\" INTEGER NOT NULL, \"Note \"\"x\"\"\" TEXT, \"updated_at\" TEXT, PRIMARY KEY (\"id\"))");
    }

    @Test
    void change_query_pages_by_cursor_then_key_after_the_checkpoint() {
        TableSpec spec = spec("updated_at", SyncMode.TIMESTAMP);

        assertThat(ChangeQuery.page(spec, false, false)).endsWith("FROM \"public\".\"Orders\" AS src ORDER BY src.\"updated_at\", src.\"id\" LIMIT ?");
        assertThat(ChangeQuery.page(spec, true, true)).contains(
                "WHERE (src.\"updated_at\", src.\"id\") > (CAST(? AS timestamp with time zone), CAST(? AS bigint)) "
                        + "AND src.\"updated_at\" < CAST(? AS timestamp with time zone) ORDER BY src.\"updated_at\", src.\"id\" LIMIT ?");
        assertThat(ChangeQuery.pageParameters(spec, List.of("2024-01-01 00:00:00+00", "5"), "2024-06-01 00:00:00+00"))
                .containsExactly("2024-01-01 00:00:00+00", "5", "2024-06-01 00:00:00+00", 100);
    }
}
