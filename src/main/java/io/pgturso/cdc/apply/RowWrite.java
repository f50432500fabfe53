package io.pgturso.cdc.apply;

import io.pgturso.source.TableSpec;
import java.util.List;

/**
 * One write of a change into the target, in stream order: its statement and parameters. Consecutive writes of one
 * statement go as one batch; upserts ({@code upsert}) of one table are bound several to a statement where the target
 * takes it.
 */
record RowWrite(TableSpec spec, String sql, List<Object> parameters, boolean upsert) {
}
