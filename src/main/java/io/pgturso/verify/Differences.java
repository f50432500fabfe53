package io.pgturso.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Collects the rows that differ, found by merging the two sorted rows of a chunk whose hashes differ. */
final class Differences {
    private final int maxExamples;
    private final Set<ComparedKey> deadLettered;
    private final Tally missing = new Tally();
    private final Tally extra = new Tally();
    private final Tally changed = new Tally();
    private final Tally known = new Tally();

    Differences(int maxExamples, Set<ComparedKey> deadLettered) {
        this.maxExamples = maxExamples;
        this.deadLettered = deadLettered;
    }

    /** Merges one chunk's sorted rows; true when some difference is not explained by a dead letter. */
    boolean merge(List<ComparedRow> source, List<ComparedRow> target) {
        long unknownBefore = missing.count + extra.count + changed.count;
        int i = 0;
        int j = 0;
        while (i < source.size() || j < target.size()) {
            int c = i == source.size() ? 1 : j == target.size() ? -1 : source.get(i).key().compareTo(target.get(j).key());
            if (c < 0) {
                note(missing, source.get(i++).key());
            } else if (c > 0) {
                note(extra, target.get(j++).key());
            } else {
                if (!source.get(i).values().equals(target.get(j).values())) {
                    note(changed, source.get(i).key());
                }
                i++;
                j++;
            }
        }
        return missing.count + extra.count + changed.count > unknownBefore;
    }

    Difference missing() {
        return missing.result();
    }

    Difference extra() {
        return extra.result();
    }

    Difference changed() {
        return changed.result();
    }

    Difference deadLettered() {
        return known.result();
    }

    private void note(Tally tally, ComparedKey key) {
        (deadLettered.contains(key) ? known : tally).add(key, maxExamples);
    }

    /** A count and its first keys. */
    private static final class Tally {
        private long count;
        private final List<ComparedKey> examples = new ArrayList<>();

        void add(ComparedKey key, int max) {
            count++;
            if (examples.size() < max) {
                examples.add(key);
            }
        }

        Difference result() {
            return count == 0 ? Difference.NONE : new Difference(count, List.copyOf(examples));
        }
    }
}
