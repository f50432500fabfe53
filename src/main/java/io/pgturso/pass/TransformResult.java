package io.pgturso.pass;

import io.pgturso.route.UsedByRoutes;
import io.pgturso.transform.RowRejectedException;
import io.pgturso.transform.TargetRow;
import java.util.ArrayList;
import java.util.List;

/** Rows of a chunk or page after the transform: rows for the target, rows refused (for the dead letters), rows skipped by a hook. */
public final class TransformResult {
    private final List<TargetRow> rows;
    private final List<RowRejectedException> rejected = new ArrayList<>();
    private int skipped;

    public TransformResult(int expectedRows) {
        rows = new ArrayList<>(expectedRows);
    }

    /** The rows to write (upserts, and deletes of soft-deleted or no longer matching rows). */
    public List<TargetRow> rows() {
        return rows;
    }

    /** The rows that could not be transformed, each with why. */
    @UsedByRoutes("table-sync: ${body.rejected.size}")
    public List<RowRejectedException> getRejected() {
        return rejected;
    }

    /** Rows a hook skipped. */
    public int skipped() {
        return skipped;
    }

    void skip() {
        skipped++;
    }

    /** Adds another chunk's rows and counts. */
    void addAll(TransformResult chunk) {
        rows.addAll(chunk.rows);
        rejected.addAll(chunk.rejected);
        skipped += chunk.skipped;
    }
}
