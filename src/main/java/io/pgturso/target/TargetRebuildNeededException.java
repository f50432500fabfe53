package io.pgturso.target;

/** The target table cannot take the Postgres values as they are mapped now (a column's type changed): it needs a rebuild. */
public class TargetRebuildNeededException extends IllegalStateException {
    public TargetRebuildNeededException(String message) {
        super(message);
    }
}
