package io.pgturso.pass;

import io.pgturso.route.UsedByRoutes;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.TargetRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
    boolean endsPass() {
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

    /** Completes when the page is written (or dead-lettered) and its checkpoint saved, or fails with why not. */
    CompletableFuture<Void> written() {
        return written;
    }
}
