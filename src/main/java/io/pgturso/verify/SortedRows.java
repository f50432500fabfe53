package io.pgturso.verify;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of a comparison: a buffer of at most a chunk of rows, refilled by keyset pages, that checks the side really
 * returns keys in ascending order (a collation that disagrees would otherwise show as false differences).
 */
final class SortedRows {
    private final RowReader reader;
    private final String side;
    private final ArrayDeque<ComparedRow> buffer = new ArrayDeque<>();
    private ComparedKey lastRead;
    private boolean exhausted;
    private long total;

    SortedRows(RowReader reader, String side) {
        this.reader = reader;
        this.side = side;
    }

    /** Reads until {@code size} rows are buffered or the side has no more rows. */
    void fill(int size) throws SQLException {
        if (exhausted || buffer.size() >= size) {
            return;
        }
        int wanted = size - buffer.size();
        List<ComparedRow> rows = reader.read(lastRead, wanted);
        for (ComparedRow row : rows) {
            if (lastRead != null && row.key().compareTo(lastRead) <= 0) {
                throw new IllegalStateException(side + " returned key " + row.key() + " after " + lastRead
                        + ": its key order differs from this tool's (is the Postgres database encoding UTF8?)");
            }
            lastRead = row.key();
            buffer.add(row);
        }
        total += rows.size();
        exhausted = rows.size() < wanted;
    }

    boolean isEmpty() {
        return buffer.isEmpty();
    }

    /** The last key this side can vouch for: rows after it are not read yet; null once everything is read. */
    ComparedKey bound() {
        return exhausted ? null : lastRead;
    }

    /** Removes and returns the buffered rows up to {@code upper} (all when null). */
    List<ComparedRow> takeThrough(ComparedKey upper) {
        List<ComparedRow> out = new ArrayList<>();
        while (!buffer.isEmpty() && (upper == null || buffer.peek().key().compareTo(upper) <= 0)) {
            out.add(buffer.poll());
        }
        return out;
    }

    /** Rows read so far. */
    long total() {
        return total;
    }
}
