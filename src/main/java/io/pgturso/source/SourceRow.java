package io.pgturso.source;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One Postgres row as a map of column label to value, backed by an array and the page's shared labels: no map entries
 * allocated per value on the per-row path. Keys other than the labels can be put too; removing is not supported.
 */
final class SourceRow extends AbstractMap<String, Object> {
    private final Labels labels;
    private final Object[] values;
    private Map<String, Object> extra;

    SourceRow(Labels labels, Object[] values) {
        this.labels = labels;
        this.values = values;
    }

    @Override
    public Object get(Object key) {
        Integer i = labels.index.get(key);
        if (i != null) {
            return values[i];
        }
        return extra == null ? null : extra.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return labels.index.containsKey(key) || extra != null && extra.containsKey(key);
    }

    @Override
    public Object put(String key, Object value) {
        Integer i = labels.index.get(key);
        if (i != null) {
            Object old = values[i];
            values[i] = value;
            return old;
        }
        if (extra == null) {
            extra = new LinkedHashMap<>();
        }
        return extra.put(key, value);
    }

    @Override
    public int size() {
        return labels.names.length + (extra == null ? 0 : extra.size());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Entry<String, Object>> rest = extra == null ? null : extra.entrySet().iterator();
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < labels.names.length || rest != null && rest.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next < labels.names.length) {
                            int i = next++;
                            return new SimpleImmutableEntry<>(labels.names[i], values[i]);
                        }
                        if (rest == null) {
                            throw new NoSuchElementException();
                        }
                        return rest.next();
                    }
                };
            }

            @Override
            public int size() {
                return SourceRow.this.size();
            }
        };
    }

    /** The column labels of a result, distinct, with their positions. */
    static final class Labels {
        private final String[] names;
        private final Map<String, Integer> index;

        private Labels(String[] names, Map<String, Integer> index) {
            this.names = names;
            this.index = index;
        }

        /** The labels, or null when one repeats (the row is then read into a plain map, where the last one wins). */
        static Labels of(String[] names) {
            Map<String, Integer> index = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                if (index.put(names[i], i) != null) {
                    return null;
                }
            }
            return new Labels(names, index);
        }
    }
}
