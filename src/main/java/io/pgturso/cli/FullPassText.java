package io.pgturso.cli;

import io.pgturso.target.FullPasses;
import java.time.Duration;
import java.time.Instant;

/** How {@code plan} describes a full-mode table's last pass: when, how long ago, and how many rows differed. */
final class FullPassText {
    private FullPassText() {
    }

    static String last(FullPasses.Last last) {
        if (last == null) {
            return "no pass yet: the first one copies the whole table";
        }
        Duration ago = Duration.ofSeconds(Duration.between(last.finishedAt(), Instant.now()).toSeconds());
        return "last pass " + last.finishedAt() + ", " + ago + " ago: " + last.rowsDiffered() + " rows differed of "
                + last.rowsRead() + " read";
    }
}
