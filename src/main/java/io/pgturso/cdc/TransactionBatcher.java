package io.pgturso.cdc;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups whole small transactions for one delivery (so one target transaction applies them) until the group holds
 * {@code maxChanges} changes or has waited {@code maxWaitMillis}; parts of large transactions always go alone. With
 * grouping off ({@code maxChanges} below 2) every transaction goes alone. Transactions keep their order.
 */
final class TransactionBatcher {

    /** Where groups (or single transactions) go, in order. */
    interface Emitter {
        void emit(List<PgTransaction> transactions, boolean grouped);
    }

    private final int maxChanges;
    private final long maxWaitMillis;
    private final Emitter emitter;
    private final List<PgTransaction> group = new ArrayList<>();
    private int changes;
    private long startedAt;

    TransactionBatcher(int maxChanges, long maxWaitMillis, Emitter emitter) {
        this.maxChanges = maxChanges;
        this.maxWaitMillis = maxWaitMillis;
        this.emitter = emitter;
    }

    boolean grouping() {
        return maxChanges > 1;
    }

    void add(PgTransaction transaction, long nowMillis) {
        if (!grouping() || !transaction.whole()) {
            flush();
            emitter.emit(List.of(transaction), false);
            return;
        }
        if (!group.isEmpty() && changes + transaction.changes().size() > maxChanges) {
            flush();
        }
        if (group.isEmpty()) {
            startedAt = nowMillis;
        }
        group.add(transaction);
        changes += transaction.changes().size();
        if (changes >= maxChanges) {
            flush();
        }
    }

    /** Sends the group once it has waited long enough. */
    void tick(long nowMillis) {
        if (!group.isEmpty() && nowMillis - startedAt >= maxWaitMillis) {
            flush();
        }
    }

    boolean isEmpty() {
        return group.isEmpty();
    }

    void flush() {
        if (!group.isEmpty()) {
            List<PgTransaction> ready = List.copyOf(group);
            clear();
            emitter.emit(ready, true);
        }
    }

    /** Forgets the group (the stream broke before it went out): Postgres sends it again. */
    void clear() {
        group.clear();
        changes = 0;
    }
}
