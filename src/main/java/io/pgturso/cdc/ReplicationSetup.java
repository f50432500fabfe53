package io.pgturso.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prepares Postgres for streaming the tables of a {@link ReplicationSpec}, and takes it down again. At first start:
 * {@link #check()} (refuse on problems), {@link #ensurePublication()}, then, when the slot is missing,
 * {@link #createSlot()}: copy the tables through the returned snapshot, store its consistent position with the copy,
 * close the handle, and stream from that position.
 */
public final class ReplicationSetup {
    private final CdcConnections connections;
    private final ReplicationSpec spec;

    public ReplicationSetup(CdcConnections connections, ReplicationSpec spec) {
        this.connections = connections;
        this.spec = spec;
    }

    public ReplicationSpec spec() {
        return spec;
    }

    /** Every start-up check; changes nothing. */
    public ReplicationChecks.Result check() throws SQLException {
        try (Connection c = connections.open()) {
            return ReplicationChecks.run(c, spec);
        }
    }

    /** The checks; a {@link CdcSetupException} listing each problem with its fix when any fails. Returns the warnings. */
    public List<String> requireReady() throws SQLException {
        ReplicationChecks.Result result = check();
        if (!result.ok()) {
            throw new CdcSetupException(result.problems());
        }
        return result.warnings();
    }

    /**
     * Creates the publication for the spec's tables, or adds those it lacks; run it before {@link #createSlot()} (a
     * slot decodes with the publication as it was when each transaction committed). Returns the statements run.
     */
    public List<String> ensurePublication() throws SQLException {
        try (Connection c = connections.open()) {
            List<SourceTable> tables = new ArrayList<>();
            for (String given : spec.tables()) {
                tables.add(SourceTable.find(c, given).orElseThrow(() -> new CdcSetupException(List.of(
                        "Table '" + given + "' does not exist (or this role cannot see it): create it, or fix the table name"))));
            }
            return Publications.ensure(c, spec.publication(), tables);
        }
    }

    public boolean slotExists() throws SQLException {
        return slotInfo().isPresent();
    }

    /** Creates the slot and exports the snapshot it starts from; the caller copies the tables, then closes the handle. */
    public SnapshotHandle createSlot() throws SQLException {
        return ReplicationSlots.createWithSnapshot(connections, spec.slot(), false);
    }

    /**
     * A snapshot for a table added while the others keep streaming, from a temporary slot named
     * {@code <slot>_<suffix>} (dropped when the handle closes). Add the table to the publication first; then its
     * changes committed below the handle's consistent position are in the copy, later ones come in the stream.
     */
    public SnapshotHandle exportSnapshot(String suffix) throws SQLException {
        String name = Identifiers.objectName("replication slot", spec.slot() + "_" + suffix);
        return ReplicationSlots.createWithSnapshot(connections, name, true);
    }

    /** The slot as Postgres reports it, if it exists. */
    public Optional<SlotInfo> slotInfo() throws SQLException {
        try (Connection c = connections.open()) {
            return ReplicationSlots.info(c, spec.slot());
        }
    }

    /** Writes a heartbeat into the WAL of the streamed database; returns its position. */
    public long emitHeartbeat() throws SQLException {
        try (Connection c = connections.open()) {
            return Heartbeat.emit(c);
        }
    }

    /** Drops the slot if it exists (refused while a reader streams from it); true when it existed. */
    public boolean dropSlot() throws SQLException {
        try (Connection c = connections.open()) {
            return ReplicationSlots.drop(c, spec.slot());
        }
    }

    /**
     * Drops the slot (refused while a reader streams from it) and the publication; returns what existed and was
     * dropped. Postgres then keeps no WAL for this sync; streaming again starts with a new copy of the tables.
     */
    public List<String> dropSlotAndPublication() throws SQLException {
        List<String> dropped = new ArrayList<>();
        try (Connection c = connections.open()) {
            if (ReplicationSlots.drop(c, spec.slot())) {
                dropped.add("replication slot " + spec.slot());
            }
            if (Publications.drop(c, spec.publication())) {
                dropped.add("publication " + spec.publication());
            }
        }
        return dropped;
    }
}
