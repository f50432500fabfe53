package io.pgturso.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The state of one sync pass over one table: its spec, position, page and counts. Lives in the exchange variable {@code pass}. */
public class TablePass {
    private final TableSpec spec;
    private final long startedNanos = System.nanoTime();
    private final long openDeadLetters;
    private List<String> position;
    private boolean more = true;
    private int pageSize;
    private List<String> pagePosition;
    private final List<RowKey> pageRejected = new ArrayList<>();
    private long written;
    private long deadLettered;
    private int pages;

    public TablePass(TableSpec spec, List<String> position, long openDeadLetters) {
        this.spec = spec;
        this.position = position;
        this.openDeadLetters = openDeadLetters;
    }

    public TableSpec getSpec() {
        return spec;
    }

    /** Whether another page may follow (the loop's condition in the route). */
    public boolean isMore() {
        return more;
    }

    public int getPageSize() {
        return pageSize;
    }

    public List<String> position() {
        return position;
    }

    public long openDeadLetters() {
        return openDeadLetters;
    }

    public long written() {
        return written;
    }

    public long deadLettered() {
        return deadLettered;
    }

    public int pages() {
        return pages;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Notes a page read from Postgres: its size and the position of its last row. */
    void pageRead(List<Map<String, Object>> rows) {
        pageSize = rows.size();
        pageRejected.clear();
        pagePosition = null;
        if (!rows.isEmpty()) {
            Map<String, Object> last = rows.get(rows.size() - 1);
            pagePosition = new ArrayList<>();
            for (int i = 0; i < spec.positionColumns().size(); i++) {
                Object v = last.get(ChangeQuery.POSITION_ALIAS + i);
                pagePosition.add(v == null ? null : v.toString());
            }
        }
        more = pageSize == spec.batchSize();
    }

    /** Notes a row of the current page sent to the dead letters. */
    public void rowRejected(RowKey key) {
        pageRejected.add(key);
    }

    /** Closes the page: its rows are written or dead-lettered, so the position moves past it. */
    long[] pageDone() {
        long rejected = pageRejected.size();
        long pageWritten = pageSize - rejected;
        written += pageWritten;
        deadLettered += rejected;
        pages++;
        if (pagePosition != null) {
            position = pagePosition;
        }
        return new long[] {pageWritten, rejected};
    }

    /** Keys rejected in the current page. */
    List<RowKey> pageRejected() {
        return pageRejected;
    }

    /** Ends the pass early (nothing more to read). */
    void finish() {
        more = false;
    }
}
