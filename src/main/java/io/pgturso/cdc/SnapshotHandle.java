package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The snapshot exported when a slot was created: exactly the rows committed before the slot's consistent point, so a
 * copy read through it and the stream from {@link #consistentLsn()} on neither miss nor repeat a transaction. A
 * transaction whose commit LSN is below {@link #consistentLsn()} is in the snapshot; one at or after it is streamed.
 *
 * <p>The snapshot lives as long as the replication session that exported it stays open and idle: keep the handle open
 * until every session copying through it has begun its transaction ({@link #begin}), then close it. Any number of
 * sessions may import it at once (pages in flight). While the handle is open its session holds the slot, so the
 * stream from the slot starts once the handle is closed. For a temporary slot ({@link #temporary()}), closing also
 * drops it.
 */
public final class SnapshotHandle implements AutoCloseable {
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[0-9A-Fa-f-]+");

    private final Connection replication;
    private final String slot;
    private final long consistentLsn;
    private final String snapshotName;
    private final boolean temporary;

    SnapshotHandle(Connection replication, String slot, long consistentLsn, String snapshotName, boolean temporary) {
        if (snapshotName == null || !SNAPSHOT_NAME.matcher(snapshotName).matches()) {
            throw new IllegalStateException("Postgres exported no usable snapshot (got '" + snapshotName + "')");
        }
        this.replication = replication;
        this.slot = slot;
        this.consistentLsn = consistentLsn;
        this.snapshotName = snapshotName;
        this.temporary = temporary;
    }

    /** The slot created with it. */
    public String slot() {
        return slot;
    }

    /** The slot's consistent point: the stream starts here, right after the snapshot. */
    public long consistentLsn() {
        return consistentLsn;
    }

    /** The name {@code SET TRANSACTION SNAPSHOT} takes. */
    public String snapshotName() {
        return snapshotName;
    }

    /** Made with a temporary slot (a table added later): the slot goes when the handle is closed. */
    public boolean temporary() {
        return temporary;
    }

    /**
     * Begins a {@code REPEATABLE READ} transaction on {@code connection} (an ordinary session, not in a transaction)
     * that sees this snapshot; the caller reads, then commits or rolls back.
     */
    public void begin(Connection connection) throws SQLException {
        if (!isOpen()) {
            throw new SQLException("The snapshot of slot " + slot + " is closed: begin every copy before closing it");
        }
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = connection.createStatement()) {
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
        }
    }

    /** The exporting session is still open, so sessions may still import the snapshot. */
    public boolean isOpen() {
        try {
            return !replication.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Ends the snapshot (sessions that imported it keep it until their transaction ends). A second close does nothing. */
    @Override
    public void close() {
        try {
            replication.close();
        } catch (SQLException ignored) {
            // the session is gone either way, and the snapshot with it
        }
    }

    @Override
    public String toString() {
        return "snapshot " + snapshotName + " of slot " + slot + " at " + Lsn.format(consistentLsn);
    }
}
