package io.pgturso.cdc.apply;

import io.pgturso.target.DeadLetterStore;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of each cdc table's open dead letters, read once and kept up to date by the stream, so that a written row
 * closes its dead letter without a lookup per row. A dead letter closed elsewhere (replay) only costs a delete that
 * finds nothing.
 */
final class OpenDeadLetters {
    private final DeadLetterStore store;
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();

    OpenDeadLetters(DeadLetterStore store) {
        this.store = store;
    }

    /** Whether the table may have an open dead letter. */
    boolean mayHave(String table) {
        return !keys(table).isEmpty();
    }

    /** Whether this key of the table has an open dead letter. */
    boolean has(String table, String key) {
        return keys(table).contains(key);
    }

    void opened(String table, String key) {
        keys(table).add(key);
    }

    void closed(String table, Collection<String> closed) {
        keys(table).removeAll(closed);
    }

    private Set<String> keys(String table) {
        return keys.computeIfAbsent(table, t -> {
            Set<String> set = ConcurrentHashMap.newKeySet();
            set.addAll(store.keys(t));
            return set;
        });
    }
}
