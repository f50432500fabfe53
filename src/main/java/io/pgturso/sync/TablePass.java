package io.pgturso.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The state of one sync pass over one table: its spec, position, page and counts. Lives in the exchange variable {@code pass}. */
public class TablePass {
    private final TableSpec spec;
    private final long startedNanos = System.nanoTime();
    private final long openDeadLetters;
    private final String horizon;
    private List<String> position;
    private boolean sweepingNullCursor;
    private List<String> nullCursorPosition;
    private boolean more = true;
    private int pageSize;
    private List<String> pagePosition;
    private final List<RowKey> pageRejected = new ArrayList<>();
    private long written;
    private long deadLettered;
    private int pages;
    private final long[] phaseNanos = new long[Phase.values().length];
    private long phaseStarted;

    /** The steps of a page whose time the pass summary reports. */
    enum Phase { READ, TRANSFORM, WRITE }

    public TablePass(TableSpec spec, List<String> position, long openDeadLetters, String horizon) {
        this.spec = spec;
        this.position = position;
        this.openDeadLetters = openDeadLetters;
        this.horizon = horizon;
    }

    public TableSpec getSpec() {
        return spec;
    }

    /** Whether another page may follow (the loop's condition in the route). */
    public boolean isMore() {
        return more;
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

    /** The query of the next page: by cursor and key after the position, then rows with a NULL cursor by key. */
    String nextPageSql() {
        return sweepingNullCursor ? ChangeQuery.nullCursorPage(spec, nullCursorPosition != null)
                : ChangeQuery.page(spec, position != null, horizon != null);
    }

    /** The parameters of {@link #nextPageSql()}. */
    List<Object> nextPageParameters() {
        if (sweepingNullCursor) {
            return ChangeQuery.pageParameters(spec, nullCursorPosition, null);
        }
        return ChangeQuery.pageParameters(spec, position, horizon);
    }

    /** Notes a page read from Postgres: its size and the position of its last row. */
    void pageRead(List<Map<String, Object>> rows) {
        pageSize = rows.size();
        pageRejected.clear();
        pagePosition = null;
        if (!rows.isEmpty()) {
            Map<String, Object> last = rows.get(rows.size() - 1);
            List<ColumnSpec> columns = spec.positionColumns();
            pagePosition = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                if (!sweepingNullCursor || spec.key().contains(columns.get(i))) {
                    Object v = last.get(ChangeQuery.POSITION_ALIAS + i);
                    pagePosition.add(v == null ? null : v.toString());
                }
            }
        }
    }

    /** Starts timing {@code phase} (the previous phase ends here). */
    void begin(Phase phase) {
        long now = System.nanoTime();
        if (phase != Phase.READ) {
            phaseNanos[phase.ordinal() - 1] += now - phaseStarted;
        }
        phaseStarted = now;
    }

    /** Ends the write phase of the current page. */
    void endWrite() {
        phaseNanos[Phase.WRITE.ordinal()] += System.nanoTime() - phaseStarted;
    }

    /** Milliseconds spent reading, transforming and writing, as {@code read 12 ms, transform 30 ms, write 80 ms}. */
    public String phases() {
        return "read " + phaseNanos[0] / 1_000_000 + " ms, transform " + phaseNanos[1] / 1_000_000 + " ms, write "
                + phaseNanos[2] / 1_000_000 + " ms";
    }

    /** Notes a row of the current page sent to the dead letters. */
    public void rowRejected(RowKey key) {
        pageRejected.add(key);
    }

    /** Closes the page: its rows are written or dead-lettered, so the position moves past it. Returns {written, rejected}. */
    long[] pageDone() {
        long rejected = pageRejected.size();
        long pageWritten = pageSize - rejected;
        written += pageWritten;
        deadLettered += rejected;
        pages++;
        if (pagePosition != null) {
            if (sweepingNullCursor) {
                nullCursorPosition = pagePosition;
            } else {
                position = pagePosition;
            }
        }
        more = pageSize == spec.batchSize();
        if (!more && !sweepingNullCursor && spec.sweepsNullCursor()) {
            sweepingNullCursor = true;
            more = true;
        }
        return new long[] {pageWritten, rejected};
    }

    /** Keys rejected in the current page. */
    List<RowKey> pageRejected() {
        return pageRejected;
    }
}
