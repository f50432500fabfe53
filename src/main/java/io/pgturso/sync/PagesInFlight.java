package io.pgturso.sync;

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

    /** The oldest page not yet awaited, which the pass waits for next; removed from here. */
    Page takeOldest() {
        return handedOver.pollFirst();
    }

    /**
     * Writer: the page's rows are written. Moves the checkpoint ({@code checkpoint}, once) past every page, in order,
     * whose rows are written and all pages before it too, and completes those pages. When the checkpoint cannot be
     * saved, the pages stay as they were and the failure is thrown, for the writer to try again.
     */
    synchronized void written(Page page, Consumer<List<Page>> checkpoint) {
        if (failure != null) {
            toCheckpoint.remove(page);
            page.written().completeExceptionally(new IllegalStateException("an earlier page failed", failure));
            return;
        }
        rowsWritten.add(page);
        List<Page> ready = new ArrayList<>();
        while (!toCheckpoint.isEmpty() && rowsWritten.remove(toCheckpoint.peekFirst())) {
            ready.add(toCheckpoint.pollFirst());
        }
        if (ready.isEmpty()) {
            return;
        }
        try {
            checkpoint.accept(ready);
        } catch (RuntimeException e) {
            for (int k = ready.size() - 1; k >= 0; k--) {
                toCheckpoint.addFirst(ready.get(k));
            }
            rowsWritten.addAll(ready);
            throw e;
        }
        ready.forEach(p -> p.written().complete(null));
    }

    /** Writer: the page failed; it and the pages after it that are written already end without a checkpoint. */
    synchronized void failed(Page page, Throwable error) {
        if (failure == null) {
            failure = error;
        }
        toCheckpoint.remove(page);
        page.written().completeExceptionally(error);
        for (Iterator<Page> later = toCheckpoint.iterator(); later.hasNext(); ) {
            Page next = later.next();
            if (rowsWritten.remove(next)) {
                later.remove();
                next.written().completeExceptionally(new IllegalStateException("an earlier page failed", error));
            }
        }
    }
}
