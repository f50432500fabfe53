package io.pgturso.libsql.hrana;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How often and how long transient failures are retried: exponential backoff with jitter inside a time budget. */
public record RetryPolicy(int maxAttempts, Duration maxElapsed, Duration initialBackoff, Duration maxBackoff) {

    /** One attempt only. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The pause before attempt {@code attempt + 1}: half the exponential step fixed, half random. */
    public Duration backoff(int attempt) {
        long ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        long half = Math.max(ceiling / 2, 0);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
