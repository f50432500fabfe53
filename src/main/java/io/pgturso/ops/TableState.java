package io.pgturso.ops;

import java.time.Instant;

/**
 * What health and metrics know of one table from its passes.
 *
 * @param lastSuccessStart start of the last pass that succeeded (everything committed before it is copied), or null
 * @param lastError why the last pass failed, or null when it succeeded (or none ran yet)
 * @param checkpointSavedAt when the checkpoint last moved, or null
 */
public record TableState(Instant lastSuccessStart, Instant lastPassEnd, String lastError, long pending,
        long openDeadLetters, Instant checkpointSavedAt) {
    static final TableState NONE = new TableState(null, null, null, 0, 0, null);
}
