package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.cdc.pgoutput.PgOutputMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a slot's stream on the thread that runs it and hands on each transaction whole (or in bounded parts, or whole
 * small ones grouped) as a {@link Delivery}, one at a time, in commit order. A position is confirmed to Postgres only
 * once its delivery and all before it completed; between transactions the keepalive's position is confirmed too (once
 * the deliveries before it completed), so a quiet database does not hold WAL back. When a delivery fails or the connection
 * breaks, it stops confirming, waits (1 s doubling up to a bound), and streams again from the confirmed position:
 * Postgres sends everything after it again.
 */
public final class ChangeStreamReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamReader.class);

    private final CdcConnections connections;
    private final ReaderOptions options;
    private final LongSupplier startPosition;
    private final Consumer<Delivery> deliver;
    private final Confirmations confirmations = new Confirmations();
    private final StreamProgress progress = new StreamProgress();
    private final TransactionBatcher batcher;
    private final TransactionAssembler assembler;
    private final Object pause = new Object();
    private volatile boolean running = true;
    private volatile LogicalStream stream;

    /**
     * @param startPosition asked once, at the first connection: the position stored in the target with the rows last
     *                      applied ({@link Lsn#NONE}: the slot's confirmed position)
     * @param deliver       applies a delivery and reports its outcome on it; called on the reader's thread
     */
    public ChangeStreamReader(CdcConnections connections, ReaderOptions options, LongSupplier startPosition,
            Consumer<Delivery> deliver) {
        this.connections = connections;
        this.options = options;
        this.startPosition = startPosition;
        this.deliver = deliver;
        this.batcher = new TransactionBatcher(options.groupMaxChanges(), options.groupMaxWait().toMillis(), this::emit);
        this.assembler = new TransactionAssembler(options.maxTransactionChanges(),
                options.maxTransactionBytes(), new TransactionAssembler.Output() {
            @Override
            public void transaction(PgTransaction transaction) {
                batcher.add(transaction, System.currentTimeMillis());
            }

            @Override
            public void position(long lsn) {
                if (batcher.isEmpty()) {
                    confirmations.passed(lsn); // else the group's delivery confirms past it
                }
            }
        });
    }

    public StreamProgress progress() {
        return progress;
    }

    public ReaderOptions options() {
        return options;
    }

    @Override
    public void run() {
        long delay = options.reconnectDelay().toMillis();
        boolean started = false;
        while (running) {
            long confirmedBefore = confirmations.confirmed();
            String broke = null;
            try {
                if (!started) {
                    confirmations.restart(startPosition.getAsLong()); // may fail (the target is down): tried again
                    started = true;
                }
                stream();
            } catch (SQLException | RuntimeException e) {
                broke = e.getMessage();
            }
            if (!running) {
                break;
            }
            Throwable failure = confirmations.failure();
            String why = failure != null ? "a delivery failed (" + failure.getMessage() + ")" : "it broke (" + broke + ")";
            progress.failed(why);
            if (confirmations.confirmed() != confirmedBefore) {
                delay = options.reconnectDelay().toMillis(); // it made progress: this is a new problem
            }
            LOG.warn("Change stream of slot {} stopped: {}; streaming again after {} in {} ms", options.stream().slot(),
                    why, Lsn.format(confirmations.confirmed()), delay);
            confirmations.restart(confirmations.confirmed());
            sleep(delay);
            delay = Math.min(delay * 2, Math.max(options.maxReconnectDelay().toMillis(), 1));
            progress.reconnected();
        }
    }

    /** One connection: reads until stopped, a delivery fails, or the stream breaks. */
    private void stream() throws SQLException {
        LogicalStream open = LogicalStream.open(connections, options.stream(), confirmations.confirmed());
        stream = open;
        progress.connected(true);
        LOG.info("Streaming slot {} (publication {}) after {}", options.stream().slot(), options.stream().publication(),
                Lsn.format(confirmations.confirmed()));
        try {
            while (running && confirmations.failure() == null) {
                PgOutputMessage message = open.readPending();
                if (message != null) {
                    assembler.accept(message, open.lastMessageSize());
                } else {
                    if (!assembler.inTransaction() && batcher.isEmpty()) {
                        // Postgres sent everything it decoded before this keepalive, and all of it is handed on: a
                        // transaction committing later comes again after this position
                        confirmations.passed(open.lastReceivedLsn());
                        progress.caughtUp();
                    }
                    batcher.tick(System.currentTimeMillis());
                    sleep(options.pollDelay().toMillis());
                }
                open.confirm(confirmations.confirmed());
                progress.confirmed(confirmations.confirmed());
            }
        } catch (Stopped stopped) {
            // stopping, or a delivery failed: the stream restarts from the confirmed position
        } finally {
            stream = null;
            progress.connected(false);
            open.confirm(confirmations.confirmed());
            open.close();
            assembler.reset();
            batcher.clear();
        }
    }

    /** Hands on one delivery once the one before it has its outcome. */
    private void emit(List<PgTransaction> transactions, boolean grouped) {
        try {
            while (running && confirmations.failure() == null && !confirmations.awaitNoneInFlight(200)) {
                // the previous delivery is still being applied elsewhere: hold this one (memory stays bounded)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
        if (!running || confirmations.failure() != null) {
            throw new Stopped();
        }
        Delivery delivery = new Delivery(transactions, grouped, confirmations, progress);
        progress.delivered();
        try {
            deliver.accept(delivery);
        } catch (RuntimeException e) {
            delivery.failed(e);
        }
    }

    /** Sends the status now: called on a schedule, so Postgres hears from the reader while a delivery takes long. */
    public void keepAlive() {
        LogicalStream open = stream;
        if (open != null && !open.isClosed()) {
            try {
                open.confirm(confirmations.confirmed());
                open.sendStatus();
            } catch (SQLException e) {
                LOG.debug("Status to slot {} not sent: {}", options.stream().slot(), e.getMessage());
            }
        }
    }

    /** Writes a heartbeat into the WAL (on a schedule, when configured), so the stream moves on over quiet tables. */
    public void heartbeat() {
        try (Connection connection = connections.open()) {
            Heartbeat.emit(connection);
        } catch (SQLException e) {
            LOG.warn("Heartbeat for slot {} not written: {}", options.stream().slot(), e.getMessage());
        }
    }

    /** Stops reading: the delivery under way finishes, the last status is sent, the stream closes. */
    public void stop() {
        running = false;
        confirmations.wake();
        synchronized (pause) {
            pause.notifyAll();
        }
    }

    private void sleep(long millis) {
        long end = System.currentTimeMillis() + millis;
        synchronized (pause) {
            for (long left = millis; running && left > 0; left = end - System.currentTimeMillis()) {
                try {
                    pause.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    /** Unwinds the reading loop from inside a delivery hand-off. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
