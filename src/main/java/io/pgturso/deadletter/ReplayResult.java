package io.pgturso.deadletter;

import io.pgturso.source.TableSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts of one replay run, and the table specs it resolved (exchange variable {@code replay}). */
public class ReplayResult {
    final Map<String, TableSpec> specs = new HashMap<>();
    int replayed;
    int failed;
    int gone;
    /** Why tables were not replayed: each held by a pass or another command. */
    final List<String> busy = new ArrayList<>();

    public int replayed() {
        return replayed;
    }

    public int failed() {
        return failed;
    }

    public int gone() {
        return gone;
    }

    /** Why tables were left for later: a pass (or another command) held them. */
    public List<String> busy() {
        return busy;
    }

    @Override
    public String toString() {
        return replayed + " rows written, " + failed + " failed again, " + gone + " no longer in Postgres"
                + (busy.isEmpty() ? "" : "; not replayed now: " + String.join("; ", busy));
    }
}
