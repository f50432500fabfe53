package io.pgturso.sync;

import java.util.List;

/** Where a table's sync stands: the position (cursor and key as Postgres text) of the last row handled, and totals. */
public record Checkpoint(List<String> position, long rowsWritten, long rowsDeadLettered, String updatedAt) {
    /** The checkpoint of a table never synced. */
    public static final Checkpoint NONE = new Checkpoint(null, 0, 0, null);
}
