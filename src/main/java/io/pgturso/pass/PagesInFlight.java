package io.pgturso.pass;

import io.pgturso.transform.RowKey;
import io.pgturso.transform.TargetRow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The pages of a pass handed to the writer: several may be written at once, but the checkpoint moves past them one by
 * one in page order, so it never passes a page that is not written. After a failure no checkpoint moves any more.
 */
final class PagesInFlight {
    /** Pages handed over and not yet awaited by the pass (its own thread only). */
    private final Deque<Page> handedOver = new ArrayDeque<>();
    /** Pages whose checkpoint has not moved yet, in page order (guarded by this). */
    private final Deque<Page> toCheckpoint = new ArrayDeque<>();
    private final Set<Page> rowsWritten = new HashSet<>();
    private Throwable failure;
    /** Whether a writer is saving the checkpoint now (guarded by this). */
    private boolean saving;

    /** The pass hands a page over to the writer. */
    void handOver(Page page) {
        handedOver.addLast(page);
        synchronized (this) {
            toCheckpoint.addLast(page);
        }
    }

    /** Pages handed over and not yet awaited. */
    int size() {
        return handedOver.size();
    }

    /** Whether a page handed over and not yet awaited upserts one of these rows (pass thread only). */
    boolean upsertsAnyOf(Set<RowKey> keys) {
        for (Page page : handedOver) {
            for (TargetRow row : page.getUpserts()) {
                if (keys.contains(row.key())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a page handed over and not yet awaited upserts or deletes one of these rows (pass thread only). */
    boolean touchesAnyOf(Set<RowKey> keys) {
        for (Page page : handedOver) {
            for (List<TargetRow> rows : List.of(page.getUpserts(), page.getDeletes())) {
                for (TargetRow row : rows) {
                    if (keys.contains(row.key())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The oldest page not yet awaited, which the pass waits for next; removed from here. */
    Page takeOldest() {
        return handedOver.pollFirst();
    }

    /**
     * Writer: the page's rows are written. Moves the checkpoint ({@code checkpoint}) past every page, in order, whose
     * rows are written and all pages before it too, and completes those pages. One writer at a time saves: a writer
     * that finds another saving returns at once, and that one also saves the pages written meanwhile, in one save per
     * round trip instead of one per page. When the checkpoint cannot be saved, the pages stay as they were and the
     * failure is thrown, for the writer to try again.
     */
    void written(Page page, Consumer<List<Page>> checkpoint) {
        synchronized (this) {
            if (failure != null) {
                toCheckpoint.remove(page);
                page.written().completeExceptionally(new IllegalStateException("an earlier page failed", failure));
                return;
            }
            rowsWritten.add(page);
            if (saving) {
                return;
            }
            saving = true;
        }
        while (true) {
            List<Page> ready = new ArrayList<>();
            synchronized (this) {
                if (failure != null) {
                    saving = false;
                    abandonWritten();
                    return;
                }
                while (!toCheckpoint.isEmpty() && rowsWritten.remove(toCheckpoint.peekFirst())) {
                    ready.add(toCheckpoint.pollFirst());
                }
                if (ready.isEmpty()) {
                    saving = false;
                    return;
                }
            }
            try {
                checkpoint.accept(ready);
            } catch (RuntimeException e) {
                synchronized (this) {
                    for (int k = ready.size() - 1; k >= 0; k--) {
                        toCheckpoint.addFirst(ready.get(k));
                    }
                    rowsWritten.addAll(ready);
                    saving = false;
                    if (failure != null) {
                        abandonWritten();
                    }
                }
                throw e;
            }
            ready.forEach(p -> p.written().complete(null));
        }
    }

    /** Writer: the page failed; it and the pages after it that are written already end without a checkpoint. */
    synchronized void failed(Page page, Throwable error) {
        if (failure == null) {
            failure = error;
        }
        toCheckpoint.remove(page);
        page.written().completeExceptionally(error);
        abandonWritten();
    }

    // After a failure: the pages whose rows are written end without a checkpoint (the others end when written).
    private void abandonWritten() {
        for (Iterator<Page> later = toCheckpoint.iterator(); later.hasNext(); ) {
            Page next = later.next();
            if (rowsWritten.remove(next)) {
                later.remove();
                next.written().completeExceptionally(new IllegalStateException("an earlier page failed", failure));
            }
        }
    }
}
