package io.pgturso.pass;

import io.pgturso.route.UsedByRoutes;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.TargetRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One page of a pass, from its read to its checkpoint; the writer may still write it while the next page is read. */
public final class Page {
    private final int number;
    private final int size;
    private final List<String> position;
    private final boolean nullCursorSweep;
    private final boolean endsPass;
    private final List<RowKey> rejected = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> written = new CompletableFuture<>();
    private int skipped;
    private List<TargetRow> upserts = List.of();
    private List<TargetRow> deletes = List.of();
    /** Full mode: the rows read, the last row of the page before (null: none), whether this page resumes a pass. */
    private List<Map<String, Object>> sourceRows;
    private Map<String, Object> after;
    private boolean resumes;
    /** Full mode: rows read that the target holds as they are, and target rows deleted that Postgres no longer has. */
    private int unchanged;
    private int goneDeleted;

    Page(int size, List<String> position, boolean nullCursorSweep, boolean endsPass) {
        this(0, size, position, nullCursorSweep, endsPass);
    }

    Page(int number, int size, List<String> position, boolean nullCursorSweep, boolean endsPass) {
        this.number = number;
        this.size = size;
        this.position = position;
        this.nullCursorSweep = nullCursorSweep;
        this.endsPass = endsPass;
    }

    /** The page's number in its pass, from 1 in read order. */
    int number() {
        return number;
    }

    /** Whether no page follows this one in its pass. */
    public boolean endsPass() {
        return endsPass;
    }

    public int size() {
        return size;
    }

    /** The position (cursor and key, or key in the NULL-cursor sweep) of the page's last row; null for an empty page. */
    public List<String> position() {
        return position;
    }

    boolean nullCursorSweep() {
        return nullCursorSweep;
    }

    /** Notes a row of this page sent to the dead letters. */
    public void rowRejected(RowKey key) {
        rejected.add(key);
    }

    List<RowKey> rejected() {
        return rejected;
    }

    /** Rows of this page a row hook skipped. */
    int skipped() {
        return skipped;
    }

    void skipped(int rows) {
        skipped = rows;
    }

    public List<TargetRow> getUpserts() {
        return upserts;
    }

    @UsedByRoutes("write-page: ${variable.page.deletes.size}")
    public List<TargetRow> getDeletes() {
        return deletes;
    }

    void rows(List<TargetRow> upserts, List<TargetRow> deletes) {
        this.upserts = upserts;
        this.deletes = deletes;
    }

    /**
     * Full mode: the page's key range, from after the last row of the page before ({@code after}; null: the table's
     * start) through its last row (or the table's end when it ends the pass); a page that resumes a pass from its
     * checkpoint starts at its own first row.
     */
    void keyRange(List<Map<String, Object>> rows, Map<String, Object> after, boolean resumes) {
        this.sourceRows = rows;
        this.after = after;
        this.resumes = resumes;
    }

    /** Full mode: the rows read from Postgres, in key order; null in the other modes. */
    public List<Map<String, Object>> sourceRows() {
        return sourceRows;
    }

    /** Full mode: the last row of the page before, or null for the first page. */
    public Map<String, Object> after() {
        return after;
    }

    /** Full mode: whether this is the first page of a pass resumed from its checkpoint. */
    public boolean resumes() {
        return resumes;
    }

    /**
     * Full mode: keeps only the writes the target needs, {@code unchanged} rows read needing none and {@code goneDeleted}
     * of the deletes removing rows Postgres no longer has.
     */
    public void keepOnly(List<TargetRow> upserts, List<TargetRow> deletes, int unchanged, int goneDeleted) {
        this.upserts = upserts;
        this.deletes = deletes;
        this.unchanged = unchanged;
        this.goneDeleted = goneDeleted;
    }

    /** Rows written: read and neither dead-lettered, skipped nor unchanged, plus deletes of rows gone from Postgres. */
    long rowsWritten() {
        return (long) size - rejected.size() - skipped - unchanged + goneDeleted;
    }

    /** Full mode: target rows deleted that Postgres no longer has. */
    int goneDeleted() {
        return goneDeleted;
    }

    /** Full mode: rows read that the target already held as they are. */
    int unchanged() {
        return unchanged;
    }

    /** Completes when the page is written (or dead-lettered) and its checkpoint saved, or fails with why not. */
    CompletableFuture<Void> written() {
        return written;
    }
}
