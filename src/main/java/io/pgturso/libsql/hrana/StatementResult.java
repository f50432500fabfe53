package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What one statement produced: columns, rows, the affected row count and the last inserted rowid. */
public record StatementResult(
        List<Column> cols,
        List<List<Value>> rows,
        @JsonProperty("affected_row_count") long affectedRowCount,
        @JsonProperty("last_insert_rowid") String lastInsertRowid) {

    public StatementResult {
        cols = cols == null ? List.of() : cols;
        rows = rows == null ? List.of() : rows;
    }

    /** The rowid of the last insert, or null when the server did not say. */
    public Long lastInsertRowidOrNull() {
        return lastInsertRowid == null ? null : Long.valueOf(lastInsertRowid);
    }
}
