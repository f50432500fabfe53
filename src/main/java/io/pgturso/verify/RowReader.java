package io.pgturso.verify;

import java.sql.SQLException;
import java.util.List;

/** One side of a table, read in key order by keyset pagination. */
interface RowReader {
    /** Up to {@code limit} rows whose key is after {@code after} (from the first row when null), in key order. */
    List<ComparedRow> read(ComparedKey after, int limit) throws SQLException;
}
