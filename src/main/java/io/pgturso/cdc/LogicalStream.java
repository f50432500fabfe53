package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.cdc.pgoutput.PgOutputDecoder;
import io.pgturso.cdc.pgoutput.PgOutputMessage;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.fluent.logical.ChainedLogicalStreamBuilder;

/**
 * One open pgoutput stream from a slot, on its own replication session, decoded message by message. Postgres sends
 * again everything committed after the slot's confirmed position (or after the start position, when later), so the
 * reader confirms ({@link #confirm}) only what the target holds. Safe to share between the reading thread and one
 * that keeps the status flowing while the reader is busy.
 */
public final class LogicalStream implements AutoCloseable {
    private final Connection connection;
    private final PGReplicationStream stream;
    private final PgOutputDecoder decoder = new PgOutputDecoder();
    private long confirmed;
    private int lastMessageSize;

    private LogicalStream(Connection connection, PGReplicationStream stream, long start) {
        this.connection = connection;
        this.stream = stream;
        this.confirmed = start;
    }

    /**
     * Starts streaming from {@code slot} after {@code startLsn} ({@link Lsn#NONE}: after the slot's confirmed position).
     * pgoutput protocol version 1: each transaction arrives whole, after its commit, in commit order.
     */
    public static LogicalStream open(CdcConnections connections, StreamOptions options, long startLsn) throws SQLException {
        Connection connection = connections.openReplication();
        try {
            ChainedLogicalStreamBuilder builder = connection.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().logical()
                    .withSlotName(options.slot())
                    .withStartPosition(LogSequenceNumber.valueOf(startLsn))
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", options.publication())
                    .withStatusInterval((int) options.statusInterval().toMillis(), TimeUnit.MILLISECONDS)
                    // pgjdbc would otherwise confirm keepalive positions by itself, possibly past a transaction not yet applied
                    .withAutomaticFlush(false);
            if (options.messages()) {
                builder.withSlotOption("messages", true);
            }
            if (options.binary()) {
                builder.withSlotOption("binary", true);
            }
            return new LogicalStream(connection, builder.start(), startLsn);
        } catch (SQLException e) {
            connection.close();
            throw explained(e, options.slot());
        }
    }

    private static SQLException explained(SQLException e, String slot) {
        if ("55006".equals(e.getSQLState())) {
            return new SQLException("Replication slot " + slot + " is already being read by another process ("
                    + e.getMessage() + "): a slot has one reader; stop the other process or wait for it to end",
                    e.getSQLState(), e);
        }
        if ("42704".equals(e.getSQLState())) {
            return new SQLException("Replication slot " + slot + " does not exist: it is created, with a copy of the "
                    + "tables, when streaming is set up; it may have been dropped", e.getSQLState(), e);
        }
        return e;
    }

    /** The next message if one has arrived, else null at once. Keepalives are answered on the way. */
    public synchronized PgOutputMessage readPending() throws SQLException {
        ByteBuffer payload = stream.readPending();
        if (payload == null) {
            return null;
        }
        lastMessageSize = payload.remaining();
        return decoder.decode(payload);
    }

    /** The length in bytes of the message {@link #readPending()} returned last. */
    public synchronized int lastMessageSize() {
        return lastMessageSize;
    }

    /**
     * The furthest WAL position Postgres reported: the last message's, or a keepalive's when Postgres has sent all it
     * decoded up to there. Between transactions, with everything before it applied, it is safe to confirm.
     */
    public long lastReceivedLsn() {
        return stream.getLastReceiveLSN().asLong();
    }

    /** Tells Postgres, with the next status, that everything up to {@code lsn} is applied; never moves back. */
    public synchronized void confirm(long lsn) {
        if (Lsn.compare(lsn, confirmed) > 0) {
            confirmed = lsn;
            stream.setFlushedLSN(LogSequenceNumber.valueOf(lsn));
            stream.setAppliedLSN(LogSequenceNumber.valueOf(lsn));
        }
    }

    /** The position last given to {@link #confirm} (or the start position). */
    public synchronized long confirmed() {
        return confirmed;
    }

    /** Sends the status now (and keeps the session alive while the reader is busy). */
    public synchronized void sendStatus() throws SQLException {
        stream.forceUpdateStatus();
    }

    public boolean isClosed() {
        return stream.isClosed();
    }

    /** Sends the last status, ends the stream and closes the session; a second close does nothing. */
    @Override
    public synchronized void close() {
        try {
            if (!stream.isClosed()) {
                stream.forceUpdateStatus();
                stream.close();
            }
        } catch (SQLException ignored) {
            // the session is broken: closing it is all that is left
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }
}
