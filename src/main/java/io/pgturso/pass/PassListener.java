package io.pgturso.pass;

import java.time.Duration;
import java.time.Instant;

/** What a table's pass reports as it goes (for health and metrics); the sync does not depend on who listens. */
public interface PassListener {
    /** Listens to nothing. */
    PassListener NONE = new PassListener() { };

    /** A pass started with this many rows after the checkpoint (counted up to a cap) and open dead letters. */
    default void passStarted(String table, long pending, long openDeadLetters, Instant checkpointSavedAt) {
    }

    /** A page is written and the checkpoint moved: rows upserted, dead-lettered and deleted (soft deletes). */
    default void pageWritten(String table, long written, long deadLettered, long deleted) {
    }

    /** Rows of a written page that a row hook skipped (neither written nor dead-lettered). */
    default void rowsSkipped(String table, long rows) {
    }

    /** A pass ended; {@code error} is null when it succeeded. */
    default void passEnded(String table, Instant started, Duration took, String error) {
    }

    /**
     * A table in cdc mode holds every change committed in Postgres before {@code upTo} ({@code error} null), or its
     * stream stopped ({@code error} says why; {@code upTo} is then where it stands).
     */
    default void streamed(String table, Instant upTo, String error) {
    }

    /** Both listeners, in order. */
    static PassListener both(PassListener a, PassListener b) {
        return new PassListener() {
            @Override
            public void passStarted(String table, long pending, long openDeadLetters, Instant checkpointSavedAt) {
                a.passStarted(table, pending, openDeadLetters, checkpointSavedAt);
                b.passStarted(table, pending, openDeadLetters, checkpointSavedAt);
            }

            @Override
            public void pageWritten(String table, long written, long deadLettered, long deleted) {
                a.pageWritten(table, written, deadLettered, deleted);
                b.pageWritten(table, written, deadLettered, deleted);
            }

            @Override
            public void rowsSkipped(String table, long rows) {
                a.rowsSkipped(table, rows);
                b.rowsSkipped(table, rows);
            }

            @Override
            public void passEnded(String table, Instant started, Duration took, String error) {
                a.passEnded(table, started, took, error);
                b.passEnded(table, started, took, error);
            }

            @Override
            public void streamed(String table, Instant upTo, String error) {
                a.streamed(table, upTo, error);
                b.streamed(table, upTo, error);
            }
        };
    }
}
