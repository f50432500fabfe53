package io.pgturso.target;

import io.pgturso.source.TableSpec;
import java.util.List;

/**
 * Where a table's sync stands: the position (cursor and key as Postgres text) of the last row handled, totals, and
 * what the position was made for ({@link CheckpointStore#identity}: mode, cursor, key and columns; null if unknown).
 */
public record Checkpoint(List<String> position, long rowsWritten, long rowsDeadLettered, String updatedAt, String madeFor) {
    /** The checkpoint of a table never synced. */
    public static final Checkpoint NONE = new Checkpoint(null, 0, 0, null, null);

    /** Whether the position can be used for {@code spec}: made for the same mode, cursor, key and columns. */
    public boolean fits(TableSpec spec) {
        if (position == null) {
            return true;
        }
        if (madeFor == null) {
            return position.size() == spec.positionColumns().size();
        }
        return madeFor.equals(CheckpointStore.identity(spec));
    }
}
