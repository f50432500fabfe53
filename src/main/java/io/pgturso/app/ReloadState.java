package io.pgturso.app;

import java.time.Instant;
import java.util.Optional;

/** The outcome of the last live reload of the route files, for the log and the health check. */
public class ReloadState {
    /** A reload that was refused: the file and line at fault and why; the routes kept running as they were. */
    public record Failure(String file, int line, String message, Instant at) {
        /** Whether {@code other} is the same problem at the same place. */
        boolean sameAs(Failure other) {
            return other != null && file.equals(other.file) && line == other.line && message.equals(other.message);
        }

        @Override
        public String toString() {
            return file + (line > 0 ? " line " + line : "") + ": " + message;
        }
    }

    private volatile Failure lastFailure;

    /** The last reload's failure, empty when the last reload applied (or none was tried). */
    public Optional<Failure> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    void failed(Failure failure) {
        lastFailure = failure;
    }

    void applied() {
        lastFailure = null;
    }
}
