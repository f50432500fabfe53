package io.pgturso.failure;

/** Postgres could not be reached or queried; the pass is retried later and nothing is skipped. */
public class SourceUnavailableException extends RuntimeException {
    public SourceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
