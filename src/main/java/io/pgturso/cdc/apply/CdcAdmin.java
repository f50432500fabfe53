package io.pgturso.cdc.apply;

import io.pgturso.cdc.CdcConnections;
import io.pgturso.cdc.ReplicationChecks;
import io.pgturso.cdc.ReplicationSetup;
import io.pgturso.cdc.ReplicationSpec;
import io.pgturso.cdc.SlotInfo;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.config.ConfigException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The change stream as the commands see it: {@code status} describes the slot (its confirmed position, the WAL it
 * keeps on the Postgres server, how far the target is behind), {@code cdc-uninstall} drops the slot and the publication
 * so that Postgres keeps no WAL for this sync any more.
 */
public final class CdcAdmin {
    private final CdcOptions options;
    private final ReplicationSetup setup;
    private final CdcPositions positions;
    private final SlotLock lock;
    private final CdcTables tables;
    private final CdcConnections connections;

    CdcAdmin(CdcOptions options, CdcConnections connections, CdcPositions positions, SlotLock lock, CdcTables tables) {
        this.options = options;
        // the tables are not needed to read or drop the slot: uninstall works after they left the configuration
        this.setup = new ReplicationSetup(connections, new ReplicationSpec(options.slot(), options.publication(), List.of()));
        this.positions = positions;
        this.lock = lock;
        this.tables = tables;
        this.connections = connections;
    }

    /** Whether any table is in cdc mode. */
    public boolean streams() {
        return tables.any();
    }

    /** The lines {@code status} prints under the tables: the slot, the WAL it keeps, the target's position and lag. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        String head = "Change stream: slot " + options.slot() + ", publication " + options.publication();
        Optional<SlotInfo> found;
        try {
            found = setup.slotInfo();
        } catch (SQLException e) {
            lines.add(head + ": cannot read the slot: " + e.getMessage());
            return lines;
        }
        Map<String, Object> stored = positions.exists() ? positions.describe(options.slot()) : null;
        if (found.isEmpty()) {
            lines.add(head + ": the slot does not exist (the first run creates it and copies the tables)");
            return lines;
        }
        SlotInfo slot = found.get();
        lines.add(head + ", " + (slot.active() ? "read by Postgres session pid " + slot.activePid()
                + (slot.activeApplication() == null ? "" : " (" + slot.activeApplication() + ")") : "not read now"));
        lines.add("  confirmed:  " + Lsn.format(slot.confirmedFlushLsn()) + (stored == null ? "; the target holds no position yet"
                : "; the target holds up to " + stored.get("lsn_text")));
        lines.add("  WAL kept:   " + bytes(slot.retainedBytes()) + " on the Postgres server" + retention(slot));
        lines.add("  apply lag:  " + lag(slot, stored));
        if (slot.invalidated()) {
            lines.add("  INVALIDATED: Postgres removed WAL the slot needed; it can never stream again. Stop the sync, run "
                    + "cdc-uninstall, and start it again: the tables are copied anew");
        }
        return lines;
    }

    /**
     * The lines {@code plan} prints for the tables in cdc mode: the slot they stream from, and Postgres' readiness, each
     * problem (with its fix) added to {@code problems}.
     */
    public List<String> plan(List<String> problems) {
        List<String> lines = new ArrayList<>();
        lines.add("Change stream: " + tables.configs().stream().map(c -> c.routeId()).toList() + " streamed from slot "
                + options.slot() + ", publication " + options.publication());
        try {
            tables.load();
        } catch (ConfigException e) {
            return lines; // a table that cannot be resolved: its own lines say why
        }
        try {
            ReplicationChecks.Result checks = new ReplicationSetup(connections, tables.replication(options.slot(),
                    options.publication())).check();
            checks.warnings().forEach(w -> lines.add("  warning: " + w));
            problems.addAll(checks.problems());
            Optional<SlotInfo> slot = setup.slotInfo();
            lines.add(slot.isEmpty() ? "  the slot does not exist: the first run creates it and copies the tables"
                    : "  " + slot.get());
        } catch (SQLException e) {
            problems.add("Cannot check Postgres for change streaming: " + e.getMessage());
        }
        return lines;
    }

    /**
     * Drops the slot and the publication, and forgets the positions the target holds for the slot (the next run copies
     * the tables anew). Refused, naming the reader, while a process reads the slot. Returns what was dropped.
     */
    public List<String> uninstall() throws SQLException {
        if (!lock.tryAcquire()) {
            throw new ConfigException("Replication slot " + options.slot() + " is read by " + lock.holder()
                    + ": stop that process first, then run cdc-uninstall again");
        }
        try {
            List<String> dropped = new ArrayList<>(setup.dropSlotAndPublication());
            if (positions.exists() && positions.load(options.slot()) != Lsn.NONE) {
                positions.forget(options.slot());
                dropped.add("the target's stream position for slot " + options.slot());
            }
            return dropped;
        } finally {
            lock.release();
        }
    }

    /**
     * For {@code resync --table} of a streamed table: runs {@code rebuild} (the target table with the types Postgres
     * maps to now) and forgets the table's copy, so that the next start copies it from a new snapshot and streams it
     * again (a table stopped by a retyped column included). Refused while a process reads the slot.
     */
    public void recopy(String targetTable, Runnable rebuild) throws SQLException {
        if (!lock.tryAcquire()) {
            throw new ConfigException("Table " + targetTable + " streams from slot " + options.slot() + ", read by "
                    + lock.holder() + ": stop the sync, then run resync --table again (its next start copies the table)");
        }
        try {
            rebuild.run();
            if (positions.exists()) {
                positions.forget(options.slot(), targetTable);
            }
        } finally {
            lock.release();
        }
    }

    private static String retention(SlotInfo slot) {
        if (slot.unlimitedRetention()) {
            return " (max_slot_wal_keep_size is unlimited: a stopped stream keeps WAL until the disk is full)";
        }
        String status = slot.walStatus() == null ? "" : "wal_status " + slot.walStatus();
        String safe = slot.safeWalSizeBytes() == null ? "" : bytes(slot.safeWalSizeBytes()) + " more may be written before "
                + "Postgres gives the slot up";
        return status.isEmpty() && safe.isEmpty() ? "" : " (" + status + (status.isEmpty() || safe.isEmpty() ? "" : "; ") + safe + ")";
    }

    /** Caught up when nothing was written since the confirmed position, else the age of the last transaction applied. */
    private static String lag(SlotInfo slot, Map<String, Object> stored) {
        if (slot.pendingBytes() <= 0) {
            return "none (caught up)";
        }
        String behind = bytes(slot.pendingBytes()) + " of WAL written since the confirmed position";
        Object committed = stored == null ? null : stored.get("commit_time");
        if (committed == null) {
            return behind;
        }
        Duration age = Duration.between(Instant.parse(committed.toString()), Instant.now());
        return behind + "; the last transaction applied committed " + age.toSeconds() + " s ago (" + committed + ")";
    }

    private static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d bytes", n);
    }
}
