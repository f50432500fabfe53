package io.pgturso.cdc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ChangeStreamReader} reads and hands on the stream.
 *
 * @param stream                the slot, publication and stream options
 * @param maxTransactionChanges the most changes held at once: a larger transaction is delivered in parts
 * @param maxTransactionBytes   the most bytes of changes (as sent) held at once, beyond a single change: a larger
 *                              transaction is delivered in parts
 * @param groupMaxChanges       group whole transactions into one delivery up to this many changes (below 2: off)
 * @param groupMaxWait          how long a group waits for more transactions before it goes out
 * @param reconnectDelay        the first wait before streaming again after a failure; doubles up to {@code maxReconnectDelay}
 * @param maxReconnectDelay     the longest wait between attempts
 * @param pollDelay             the pause when nothing has arrived
 * @param heartbeatInterval     how often a heartbeat is written into the WAL ({@link Duration#ZERO}: never)
 */
public record ReaderOptions(StreamOptions stream, int maxTransactionChanges, long maxTransactionBytes,
        int groupMaxChanges, Duration groupMaxWait,
        Duration reconnectDelay, Duration maxReconnectDelay, Duration pollDelay, Duration heartbeatInterval) {

    public ReaderOptions {
        Objects.requireNonNull(stream, "stream");
        if (maxTransactionChanges < 1) {
            throw new IllegalArgumentException("maxTransactionChanges must be at least 1, got " + maxTransactionChanges);
        }
        if (maxTransactionBytes < 1) {
            throw new IllegalArgumentException("maxTransactionBytes must be at least 1, got " + maxTransactionBytes);
        }
        for (Duration d : new Duration[] {groupMaxWait, reconnectDelay, maxReconnectDelay, pollDelay, heartbeatInterval}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("Durations must be zero or more, got " + d);
            }
        }
    }

    /** Transactions one at a time, parts of at most 10,000 changes or 64 MiB, retries from 1 s up to 10 s, no heartbeat. */
    public static ReaderOptions of(StreamOptions stream) {
        return new ReaderOptions(stream, 10_000, 64L << 20, 0, Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ofMillis(20), Duration.ZERO);
    }
}
