package io.pgturso.cdc;

import java.time.Duration;
import java.util.Objects;

/**
 * How the stream is read.
 *
 * @param slot           the logical replication slot
 * @param publication    the publication naming the tables
 * @param statusInterval how often the reader tells Postgres where it is; keep it under a third of the server's
 *                       {@code wal_sender_timeout} (60 s by default)
 * @param messages       also stream {@code pg_logical_emit_message} messages (Postgres 14+)
 * @param binary         values in their binary form instead of text (Postgres 14+); the type mapping reads text
 */
public record StreamOptions(String slot, String publication, Duration statusInterval, boolean messages, boolean binary) {
    /** Status every 10 seconds. */
    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(10);

    public StreamOptions {
        Identifiers.objectName("replication slot", slot);
        Identifiers.objectName("publication", publication);
        Objects.requireNonNull(statusInterval, "statusInterval");
        if (statusInterval.isNegative() || statusInterval.isZero()) {
            throw new IllegalArgumentException("The status interval must be positive, got " + statusInterval);
        }
    }

    /** Text values, no logical messages, status every 10 seconds. */
    public static StreamOptions of(String slot, String publication) {
        return new StreamOptions(slot, publication, DEFAULT_STATUS_INTERVAL, false, false);
    }

    public StreamOptions withStatusInterval(Duration interval) {
        return new StreamOptions(slot, publication, interval, messages, binary);
    }

    public StreamOptions withMessages(boolean on) {
        return new StreamOptions(slot, publication, statusInterval, on, binary);
    }
}
