package io.pgturso.verify;

import java.util.List;

/**
 * What comparing one table found. {@code problem} is set when the comparison could not run to the end (the target
 * table is missing, a database failed); the counts then cover only what was read.
 *
 * @param differingRanges the key ranges of the first differing chunks ({@code differingChunks} counts them all)
 * @param deadLettered differing rows that are dead-lettered: known differences, listed by {@code status}
 */
public record ComparisonResult(
        String table,
        long sourceRows,
        long targetRows,
        long chunks,
        long differingChunks,
        List<KeyRange> differingRanges,
        Difference missing,
        Difference extra,
        Difference changed,
        Difference deadLettered,
        String problem) {

    /** Both sides hold exactly the same rows and values. */
    public boolean isEqual() {
        return matchesApartFromDeadLetters() && deadLettered.count() == 0;
    }

    /** The only differences are rows that are dead-lettered (known, and replayable). */
    public boolean matchesApartFromDeadLetters() {
        return problem == null && missing.count() == 0 && extra.count() == 0 && changed.count() == 0;
    }

    /** A result with no difference (a table compared in parts, each equal). */
    public static ComparisonResult equal(String table) {
        return new ComparisonResult(table, 0, 0, 0, 0, List.of(), Difference.NONE, Difference.NONE, Difference.NONE,
                Difference.NONE, null);
    }

    /** A result for a comparison that could not run. */
    static ComparisonResult failed(String table, String problem) {
        return new ComparisonResult(table, 0, 0, 0, 0, List.of(), Difference.NONE, Difference.NONE, Difference.NONE,
                Difference.NONE, problem);
    }
}
