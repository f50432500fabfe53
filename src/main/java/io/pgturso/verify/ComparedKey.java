package io.pgturso.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** A row's primary key as the target stores it (normalised, see {@link Values}), ordered as both databases order it. */
public record ComparedKey(List<Object> values) implements Comparable<ComparedKey> {
    public ComparedKey {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** A key of one or more values. */
    public static ComparedKey of(Object... values) {
        return new ComparedKey(Arrays.asList(values));
    }

    @Override
    public int compareTo(ComparedKey other) {
        for (int i = 0; i < values.size(); i++) {
            int c = Values.compare(values.get(i), other.values.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The smaller of two upper bounds, where {@code null} is unbounded. */
    static ComparedKey minBound(ComparedKey a, ComparedKey b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** {@code 42}, or {@code (42, "a")} for a composite key. */
    @Override
    public String toString() {
        String joined = values.stream().map(Values::format).collect(Collectors.joining(", "));
        return values.size() == 1 ? joined : "(" + joined + ")";
    }
}
