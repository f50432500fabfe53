package io.pgturso.target;

import io.pgturso.transform.TargetRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Rows bound to one multi-row upsert ({@link TargetSql#upsert(TableSpec, int)}): their values one after the other. The
 * last group of a page is filled up with its own last row again, which the upsert writes as the same version (no change).
 */
public final class RowGroup implements Iterable<Object> {
    private final List<TargetRow> rows;

    private RowGroup(List<TargetRow> rows) {
        this.rows = rows;
    }

    /** The rows in groups of {@code size}, the last one padded to that size. */
    public static List<RowGroup> of(List<TargetRow> rows, int size) {
        List<RowGroup> out = new ArrayList<>(rows.size() / size + 1);
        for (int from = 0; from < rows.size(); from += size) {
            List<TargetRow> group = new ArrayList<>(rows.subList(from, Math.min(rows.size(), from + size)));
            while (group.size() < size) {
                group.add(group.get(group.size() - 1));
            }
            out.add(new RowGroup(group));
        }
        return out;
    }

    /** The rows' values one after the other (a plain iterator: this runs for every value written). */
    @Override
    public Iterator<Object> iterator() {
        return new Iterator<>() {
            private int row;
            private int column;

            @Override
            public boolean hasNext() {
                while (row < rows.size() && column == rows.get(row).values().size()) {
                    row++;
                    column = 0;
                }
                return row < rows.size();
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return rows.get(row).values().get(column++);
            }
        };
    }
}
