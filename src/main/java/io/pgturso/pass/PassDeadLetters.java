package io.pgturso.pass;

import io.pgturso.transform.RowKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Which dead letters a pass may close: pages are written at once, so a page must not close the dead letter a later
 * page has just recorded for a newer version of the same row. Recording and closing take one lock.
 */
final class PassDeadLetters {
    private final long openAtStart;
    /** For each row dead-lettered in this pass, the number of the last page that dead-lettered it (guarded by this). */
    private final Map<RowKey, Integer> deadLetteredIn = new HashMap<>();

    PassDeadLetters(long openAtStart) {
        this.openAtStart = openAtStart;
    }

    /** Records a row of {@code page} as dead-lettered ({@code record} stores it). */
    synchronized void deadLettered(Page page, RowKey key, Runnable record) {
        record.run();
        deadLetteredIn.merge(key, page.number(), Math::max);
        page.rowRejected(key);
    }

    /** Whether a page may have dead letters to close: some were open at the start, or the pass has recorded some. */
    synchronized boolean mayHaveAny() {
        return openAtStart > 0 || !deadLetteredIn.isEmpty();
    }

    /**
     * Closes ({@code close}) the dead letters of rows the page wrote (when none was open at the start, only of the rows
     * the pass dead-lettered), but not of a row a later page has dead-lettered: that one is of a newer version.
     */
    synchronized void close(Page page, List<RowKey> written, Consumer<List<RowKey>> close) {
        List<RowKey> keys = written.stream().filter(k -> deadLetteredIn.getOrDefault(k, 0) <= page.number()
                && (openAtStart > 0 || deadLetteredIn.containsKey(k))).toList();
        if (!keys.isEmpty()) {
            close.accept(keys);
        }
    }
}
