package io.pgturso.cdc.camel;

import io.pgturso.cdc.CdcConnections;
import io.pgturso.cdc.ReaderOptions;
import io.pgturso.cdc.StreamOptions;
import io.pgturso.cdc.pgoutput.Lsn;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code pgcdc:SLOT?publication=PUB&...}: a logical replication slot read as exchanges, one per Postgres transaction
 * (body {@link io.pgturso.cdc.PgTransaction}), or per group of small ones when {@code groupMaxChanges} is set (body
 * {@code List<PgTransaction>}). Consumer only.
 */
public class PgCdcEndpoint extends DefaultEndpoint {
    private final String slot;
    private String publication;
    private CdcConnections connections;
    private String url;
    private String user;
    private String password;
    private LongSupplier startPosition;
    private String startLsn;
    private int maxTransactionChanges = 10_000;
    private long maxTransactionBytes = 64L << 20;
    private int groupMaxChanges;
    private long groupMaxWait = 200;
    private long statusInterval = StreamOptions.DEFAULT_STATUS_INTERVAL.toMillis();
    private long reconnectDelay = 1_000;
    private long maxReconnectDelay = 10_000;
    private long pollDelay = 20;
    private long heartbeatInterval;
    private boolean messages;
    private volatile PgCdcConsumer consumer;

    PgCdcEndpoint(String uri, PgCdcComponent component, String slot) {
        super(uri, component);
        this.slot = slot;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("pgcdc: only reads a change stream; it cannot be sent to");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        PgCdcConsumer created = new PgCdcConsumer(this, processor);
        configureConsumer(created);
        consumer = created;
        return created;
    }

    /** The reader settings these options make; refuses missing or invalid ones with the option to fix. */
    ReaderOptions readerOptions() {
        if (publication == null || publication.isBlank()) {
            throw new IllegalArgumentException("pgcdc:" + slot + " needs publication=NAME");
        }
        StreamOptions stream = new StreamOptions(slot, publication, Duration.ofMillis(statusInterval), messages, false);
        return new ReaderOptions(stream, maxTransactionChanges, maxTransactionBytes, groupMaxChanges, Duration.ofMillis(groupMaxWait),
                Duration.ofMillis(reconnectDelay), Duration.ofMillis(maxReconnectDelay), Duration.ofMillis(pollDelay),
                Duration.ofMillis(heartbeatInterval));
    }

    /** The Postgres sessions: the {@code connections} bean, else {@code url}/{@code user}/{@code password}. */
    CdcConnections cdcConnections() {
        if (url != null) {
            return new CdcConnections(url, user, password);
        }
        if (connections == null) {
            throw new IllegalArgumentException("pgcdc:" + slot + " needs connections=#bean or url=jdbc:postgresql:...");
        }
        return connections;
    }

    /** Where the first connection starts: {@code startPosition}, else {@code startLsn}, else the slot's confirmed position. */
    LongSupplier firstPosition() {
        if (startPosition != null) {
            return startPosition;
        }
        long lsn = startLsn == null || startLsn.isBlank() ? Lsn.NONE : Lsn.parse(startLsn);
        return () -> lsn;
    }

    /** The running consumer's progress (confirmed position, last applied commit, errors), or null before it started. */
    public io.pgturso.cdc.StreamProgress getProgress() {
        PgCdcConsumer running = consumer;
        return running == null ? null : running.progress();
    }

    public String getSlot() {
        return slot;
    }

    public String getPublication() {
        return publication;
    }

    /** The publication naming the streamed tables (required). */
    public void setPublication(String publication) {
        this.publication = publication;
    }

    public CdcConnections getConnections() {
        return connections;
    }

    /** The Postgres sessions ({@code #bean}); defaults to the component's. */
    public void setConnections(CdcConnections connections) {
        this.connections = connections;
    }

    /** A {@code jdbc:postgresql:} URL, instead of a connections bean. */
    public void setUrl(String url) {
        this.url = url;
    }

    /** The user with {@code url}. */
    public void setUser(String user) {
        this.user = user;
    }

    /** The password with {@code url}. */
    public void setPassword(String password) {
        this.password = password;
    }

    /** Asked once at start for the position stored in the target with the rows last applied ({@code #bean}, a {@link LongSupplier}). */
    public void setStartPosition(LongSupplier startPosition) {
        this.startPosition = startPosition;
    }

    /** A fixed first position ({@code 16/B374D848}) when no {@code startPosition} bean is given. */
    public void setStartLsn(String startLsn) {
        this.startLsn = startLsn;
    }

    /** The most changes held at once: a larger transaction comes as several exchanges flagged as parts (default 10000). */
    public void setMaxTransactionChanges(int maxTransactionChanges) {
        this.maxTransactionChanges = maxTransactionChanges;
    }

    /** The most bytes of changes (as Postgres sent them) held at once: a larger transaction comes in parts (default 64 MiB). */
    public void setMaxTransactionBytes(long maxTransactionBytes) {
        this.maxTransactionBytes = maxTransactionBytes;
    }

    /** Group whole small transactions into one exchange up to this many changes (default 0: one transaction per exchange). */
    public void setGroupMaxChanges(int groupMaxChanges) {
        this.groupMaxChanges = groupMaxChanges;
    }

    /** Milliseconds a group waits for more transactions before it goes out (default 200). */
    public void setGroupMaxWait(long groupMaxWait) {
        this.groupMaxWait = groupMaxWait;
    }

    /** Milliseconds between status messages to Postgres; under a third of its wal_sender_timeout (default 10000). */
    public void setStatusInterval(long statusInterval) {
        this.statusInterval = statusInterval;
    }

    /** Milliseconds before streaming again after a failure, doubling up to maxReconnectDelay (default 1000). */
    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    /** The longest wait in milliseconds between attempts (default 10000). */
    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    /** Milliseconds to pause when nothing has arrived (default 20). */
    public void setPollDelay(long pollDelay) {
        this.pollDelay = pollDelay;
    }

    /** Milliseconds between heartbeats written into the WAL, so the slot moves on over quiet tables (default 0: none). */
    public void setHeartbeatInterval(long heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    /** Also deliver transactional {@code pg_logical_emit_message} messages as changes (Postgres 14+; default false). */
    public void setMessages(boolean messages) {
        this.messages = messages;
    }
}
