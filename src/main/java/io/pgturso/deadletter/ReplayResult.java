package io.pgturso.deadletter;

import io.pgturso.sync.TableSpec;
import java.util.HashMap;
import java.util.Map;

/** Counts of one replay run, and the table specs it resolved (exchange variable {@code replay}). */
public class ReplayResult {
    final Map<String, TableSpec> specs = new HashMap<>();
    int replayed;
    int failed;
    int gone;

    public int replayed() {
        return replayed;
    }

    public int failed() {
        return failed;
    }

    public int gone() {
        return gone;
    }

    @Override
    public String toString() {
        return replayed + " rows written, " + failed + " failed again, " + gone + " no longer in Postgres";
    }
}
