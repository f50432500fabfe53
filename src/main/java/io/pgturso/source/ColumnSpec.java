package io.pgturso.source;

import io.pgturso.types.ColumnKind;

/** One synced column: its Postgres name and declared type, its name in the target and its mapping. */
public record ColumnSpec(String source, String target, String declaredType, ColumnKind kind, boolean nullable) {
}
