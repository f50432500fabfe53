package io.pgturso.ops;

import io.pgturso.pass.PassListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's health state, bean {@code syncHealth}: each table's last pass, and named problems any part of the
 * application may record (e.g. a route reload that failed) and clear again; a recorded problem makes readiness DOWN.
 */
public class SyncHealth implements PassListener {
    private final Map<String, TableState> tables = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final Instant started = Instant.now();

    /** Records a problem under {@code name} (replacing one of the same name) until {@link #clear} is called. */
    public void problem(String name, String message) {
        problems.put(name, message);
    }

    /** Clears the problem recorded under {@code name}, if any. */
    public void clear(String name) {
        problems.remove(name);
    }

    /** The recorded problems by name, sorted. */
    public Map<String, String> problems() {
        return new TreeMap<>(problems);
    }

    /** What is known of this table (nothing before its first pass). */
    public TableState table(String table) {
        return tables.getOrDefault(table, TableState.NONE);
    }

    /** How long ago the table's last successful pass started (or the application, before any). */
    public Duration lag(String table, Instant now) {
        Instant since = table(table).lastSuccessStart();
        return Duration.between(since == null ? started : since, now);
    }

    @Override
    public void passStarted(String table, long pending, long openDeadLetters, Instant checkpointSavedAt) {
        tables.compute(table, (k, s) -> {
            TableState t = s == null ? TableState.NONE : s;
            return new TableState(t.lastSuccessStart(), t.lastPassEnd(), t.lastError(), pending, openDeadLetters,
                    checkpointSavedAt);
        });
    }

    @Override
    public void pageWritten(String table, long written, long deadLettered, long deleted) {
        tables.compute(table, (k, s) -> {
            TableState t = s == null ? TableState.NONE : s;
            return new TableState(t.lastSuccessStart(), t.lastPassEnd(), t.lastError(),
                    Math.max(0, t.pending() - written - deadLettered - deleted), t.openDeadLetters() + deadLettered, Instant.now());
        });
    }

    @Override
    public void streamed(String table, Instant upTo, String error) {
        tables.compute(table, (k, s) -> {
            TableState t = s == null ? TableState.NONE : s;
            boolean later = error == null && (t.lastSuccessStart() == null || upTo.isAfter(t.lastSuccessStart()));
            Instant since = later ? upTo : t.lastSuccessStart();
            return new TableState(since, Instant.now(), error, t.pending(), t.openDeadLetters(), t.checkpointSavedAt());
        });
    }

    @Override
    public void passEnded(String table, Instant passStarted, Duration took, String error) {
        tables.compute(table, (k, s) -> {
            TableState t = s == null ? TableState.NONE : s;
            return new TableState(error == null ? passStarted : t.lastSuccessStart(), Instant.now(), error, t.pending(),
                    t.openDeadLetters(), t.checkpointSavedAt());
        });
    }
}
