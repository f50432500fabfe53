package io.pgturso.verify;

import java.util.List;

/** How many rows differ in one way, and the first few of their keys. */
public record Difference(long count, List<ComparedKey> examples) {
    /** No rows. */
    public static final Difference NONE = new Difference(0, List.of());
}
