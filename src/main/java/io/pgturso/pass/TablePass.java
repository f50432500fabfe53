package io.pgturso.pass;

import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.ChangeQuery;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.PendingRows;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableSpec;
import io.pgturso.transform.RowKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The state of one sync pass over one table (exchange variable {@code pass}): where reading stands, which page is being
 * written, the checkpoint and the totals. Reading runs ahead of writing, so the two positions are kept apart.
 */
public class TablePass {
    private final TableSpec spec;
    private final long startedNanos = System.nanoTime();
    private final Instant started = Instant.now();
    private final long openDeadLetters;
    private final PassDeadLetters deadLetters;
    private final String horizon;
    /** Whether the pages read only rows matching the table's where filter (else non-matching rows are read to be deleted). */
    private boolean onlyMatching;
    /** In a first pass with a where filter: the highest cursor at its start; rows changed since are read, flagged. */
    private String changedAfter;
    private List<String> readPosition;
    private List<String> nullCursorReadPosition;
    private boolean sweepingNullCursor;
    private boolean more = true;
    private final PagesInFlight inFlight = new PagesInFlight();
    private volatile List<String> position;
    private final AtomicLongArray totals = new AtomicLongArray(4);
    private final AtomicLongArray phaseNanos = new AtomicLongArray(Phase.values().length);
    private long phaseStarted;
    private long pendingAtStart;
    private volatile long lastProgressNanos = startedNanos;
    /** Pages read so far: numbers the pages in read order. */
    private int pagesRead;
    /** Full mode: whether the pass resumes from a checkpoint, and the last row read (the next page's range starts after it). */
    private final boolean resumed;
    private Map<String, Object> lastRowRead;
    /** Full mode: rows read that the target held as they are, and rows deleted that Postgres no longer has. */
    private final AtomicLongArray fullCounts = new AtomicLongArray(2);

    /** The steps of a page whose time the pass summary reports. */
    enum Phase { READ, TRANSFORM, WRITE }

    public TablePass(TableSpec spec, List<String> position, long openDeadLetters, String horizon) {
        this.spec = spec;
        this.position = position;
        this.readPosition = position;
        this.openDeadLetters = openDeadLetters;
        this.deadLetters = new PassDeadLetters(openDeadLetters);
        this.horizon = horizon;
        this.onlyMatching = spec.mode() == SyncMode.INCREMENTING || !spec.mode().readsWholeTable() && position == null;
        this.resumed = position != null;
    }

    public TableSpec getSpec() {
        return spec;
    }

    /** Rows after the checkpoint when the pass started (counted up to {@link PendingRows#CAP}). */
    public long pendingAtStart() {
        return pendingAtStart;
    }

    void pendingAtStart(long pending) {
        this.pendingAtStart = pending;
    }

    /** When the pass started or last logged its progress ({@link System#nanoTime()}). */
    long lastProgressNanos() {
        return lastProgressNanos;
    }

    void progressLogged(long nanos) {
        lastProgressNanos = nanos;
    }

    /** Whether another page may follow (the loop's condition in the route). */
    @UsedByRoutes("table-sync: ${variable.pass.more}")
    public boolean isMore() {
        return more;
    }

    /** Whether the table's rows go to one database per tenant (the route's choice of page writer). */
    @UsedByRoutes("table-sync: ${variable.pass.fanOut}")
    public boolean isFanOut() {
        return spec.fansOut();
    }

    /** The checkpoint: the position of the last row written or dead-lettered. */
    public List<String> position() {
        return position;
    }

    public long openDeadLetters() {
        return openDeadLetters;
    }

    public long written() {
        return totals.get(0);
    }

    public long deadLettered() {
        return totals.get(1);
    }

    public long pages() {
        return totals.get(2);
    }

    /** When the pass started. */
    public Instant started() {
        return started;
    }

    /** Rows a row hook skipped: read, neither written nor dead-lettered. */
    public long skipped() {
        return totals.get(3);
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * Whether this is a first pass that reads only the rows matching the where filter, over rows that may change
     * meanwhile: a row written early in the pass that stops matching must still be read again, to be deleted.
     */
    boolean filtersChangingRows() {
        return onlyMatching && spec.mode() == SyncMode.TIMESTAMP && spec.rules().changes().filters();
    }

    /** The table's highest cursor as the pass starts ({@link #filtersChangingRows()}): rows above it are read whether they match or not. */
    void changedAfter(String highestCursor) {
        if (highestCursor == null) {
            // no row yet: every row is new, read them all
            onlyMatching = false;
        }
        changedAfter = highestCursor;
    }

    /** The query of the next page: by cursor and key after the read position, then rows with a NULL cursor by key. */
    String nextPageSql() {
        return sweepingNullCursor ? ChangeQuery.nullCursorPage(spec, nullCursorReadPosition != null, onlyMatching)
                : ChangeQuery.page(spec, readPosition != null, horizon != null, onlyMatching, changedAfter != null);
    }

    /** The parameters of {@link #nextPageSql()}. */
    List<Object> nextPageParameters() {
        if (sweepingNullCursor) {
            return ChangeQuery.pageParameters(spec, nullCursorReadPosition, null);
        }
        List<Object> params = ChangeQuery.pageParameters(spec, readPosition, horizon);
        if (onlyMatching && changedAfter != null) {
            params.add(0, changedAfter);
        }
        return params;
    }

    /** A page read from Postgres: reading moves past its last row; a short page ends the cursor pages (or the sweep). */
    Page pageRead(List<Map<String, Object>> rows) {
        if (spec.source().view()) {
            rows.forEach(this::checkKey);
        }
        List<String> last = null;
        if (!rows.isEmpty()) {
            Map<String, Object> row = rows.get(rows.size() - 1);
            List<ColumnSpec> columns = spec.positionColumns();
            last = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                if (!sweepingNullCursor || spec.key().contains(columns.get(i))) {
                    last.add(ChangeQuery.positionValue(spec, row, i));
                }
            }
        }
        boolean sweep = sweepingNullCursor;
        if (last != null) {
            if (sweep) {
                nullCursorReadPosition = last;
            } else {
                readPosition = last;
            }
        }
        more = rows.size() == spec.batchSize();
        if (!more && !sweepingNullCursor && spec.sweepsNullCursor()) {
            sweepingNullCursor = true;
            more = true;
        }
        Page page = new Page(++pagesRead, rows.size(), last, sweep, !more);
        if (spec.mode().readsWholeTable()) {
            page.keyRange(rows, lastRowRead, resumed && pagesRead == 1);
            lastRowRead = rows.isEmpty() ? lastRowRead : rows.get(rows.size() - 1);
        }
        return page;
    }

    /** Records a row of {@code page} as dead-lettered ({@code record} stores it), so that earlier pages leave its dead letter open. */
    public void deadLettered(Page page, RowKey key, Runnable record) {
        deadLetters.deadLettered(page, key, record);
    }

    /** Which dead letters the pages may close. */
    PassDeadLetters deadLetters() {
        return deadLetters;
    }

    /**
     * A view's row whose key is NULL ends the pass before anything of its page is written: it matches no keyset
     * comparison, so the pages after it would be skipped.
     */
    private void checkKey(Map<String, Object> row) {
        List<ColumnSpec> position = spec.positionColumns();
        for (ColumnSpec k : spec.key()) {
            if (ChangeQuery.positionValue(spec, row, position.indexOf(k)) == null) {
                throw new io.pgturso.config.ConfigException("Table '" + spec.source().name() + "': key column '" + k.source()
                        + "' is NULL in a row, and a key must identify every row: keep it from being NULL in the view, or set "
                        + "camel.route-template[" + spec.routeId() + "].key to columns that never are");
            }
        }
    }

    /** The pages handed to the writer and not yet awaited. */
    PagesInFlight inFlight() {
        return inFlight;
    }

    /** The page is written or dead-lettered: the checkpoint moves past it. Returns {written, rejected}. */
    long[] pageDone(Page page) {
        long rejected = page.rejected().size();
        long pageWritten = page.rowsWritten();
        fullCounts.addAndGet(0, page.unchanged());
        fullCounts.addAndGet(1, page.goneDeleted());
        totals.addAndGet(0, pageWritten);
        totals.addAndGet(1, rejected);
        totals.incrementAndGet(2);
        totals.addAndGet(3, page.skipped());
        if (page.position() != null && !page.nullCursorSweep()) {
            position = page.position();
        }
        return new long[] {pageWritten, rejected};
    }

    /** Full mode: rows read that the target already held as they are. */
    public long unchanged() {
        return fullCounts.get(0);
    }

    /** Full mode: target rows deleted because Postgres no longer has them. */
    public long goneDeleted() {
        return fullCounts.get(1);
    }

    /** Starts timing the read or transform of a page (reading thread). */
    void begin(Phase phase) {
        long now = System.nanoTime();
        if (phase == Phase.TRANSFORM) {
            phaseNanos.addAndGet(Phase.READ.ordinal(), now - phaseStarted);
        }
        phaseStarted = now;
    }

    /** Ends the transform of a page (reading thread). */
    void endTransform() {
        phaseNanos.addAndGet(Phase.TRANSFORM.ordinal(), System.nanoTime() - phaseStarted);
    }

    /** Adds the time one page took to write (writing thread). */
    void addWriteTime(long nanos) {
        phaseNanos.addAndGet(Phase.WRITE.ordinal(), nanos);
    }

    /** Milliseconds spent reading, transforming and writing, as {@code read 12 ms, transform 30 ms, write 80 ms}. */
    public String phases() {
        return "read " + phaseNanos.get(0) / 1_000_000 + " ms, transform " + phaseNanos.get(1) / 1_000_000 + " ms, write "
                + phaseNanos.get(2) / 1_000_000 + " ms";
    }
}
