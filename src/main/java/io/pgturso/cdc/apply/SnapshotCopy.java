package io.pgturso.cdc.apply;

import io.pgturso.cdc.CdcConnections;
import io.pgturso.cdc.SnapshotHandle;
import io.pgturso.failure.SourceUnavailableException;
import io.pgturso.pass.TableRunner;
import io.pgturso.route.RouteNames;
import io.pgturso.source.PinnedReads;
import io.pgturso.source.SourceSession;
import io.pgturso.source.TableSpec;
import io.pgturso.target.CheckpointStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies cdc tables from a snapshot of the stream through each table's own pass (keyset pages by key, pages in flight,
 * the type mapping, row hook and dead letters, rows gone from Postgres deleted), every page read inside the snapshot:
 * each table gets a session that imports it, pinned to the pass's thread ({@link PinnedReads}). The handle is closed
 * once every session has imported it, so the stream can start while the copies run.
 */
final class SnapshotCopy {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCopy.class);

    private final CamelContext camel;
    private final PinnedReads reads;
    private final CdcConnections connections;
    private final CheckpointStore checkpoints;
    /** For tables with fan-out: deletes what the copy did not write from the tenant databases (null: no tenants). */
    private TenantCopySweep sweep;

    SnapshotCopy(CamelContext camel, PinnedReads reads, CdcConnections connections, CheckpointStore checkpoints) {
        this.camel = camel;
        this.reads = reads;
        this.connections = connections;
        this.checkpoints = checkpoints;
    }

    /** Copies of tables with fan-out end by deleting the rows the key index lists that the snapshot does not hold. */
    void tenantSweep(TenantCopySweep sweep) {
        this.sweep = sweep;
    }

    /** Copies {@code tables} as of {@code snapshot} and closes it; a failed copy is an exception naming the table. */
    void copy(SnapshotHandle snapshot, List<TableSpec> tables) throws SQLException {
        List<Connection> sessions = new ArrayList<>();
        try {
            try {
                for (int i = 0; i < tables.size(); i++) {
                    sessions.add(session(snapshot));
                }
            } finally {
                snapshot.close();
            }
            for (int i = 0; i < tables.size(); i++) {
                copy(tables.get(i), sessions.get(i), snapshot);
            }
        } finally {
            for (Connection session : sessions) {
                close(session);
            }
        }
    }

    private void copy(TableSpec spec, Connection session, SnapshotHandle snapshot) throws SQLException {
        // a copy never resumes: its snapshot is gone with its sessions, so the next one starts at the first key
        checkpoints.reset(spec.targetTable());
        boolean sweeps = spec.fansOut() && sweep != null && sweep.starting(spec);
        LOG.info("{}: copying {} from {}", spec.routeId(), spec.source().qualifiedName(), snapshot);
        TableRunner.Outcome outcome;
        try (AutoCloseable pinned = reads.pin(session)) {
            outcome = TableRunner.run(camel, spec.routeId(), Map.of(RouteNames.SNAPSHOT_COPY_HEADER, snapshot.snapshotName()));
        } catch (Exception e) {
            throw new SourceUnavailableException(spec.routeId() + ": the copy from the snapshot failed: " + e.getMessage(), e);
        }
        if (!outcome.ok()) {
            throw new SourceUnavailableException(spec.routeId() + ": the copy from the snapshot failed (see the pass's "
                    + "error above); it starts again from a new snapshot", null);
        }
        LOG.info("{}: copied {} rows from the snapshot ({} dead-lettered)", spec.routeId(),
                outcome.pass() == null ? 0 : outcome.pass().written(), outcome.pass() == null ? 0 : outcome.pass().deadLettered());
        if (sweeps) {
            // before the stream applies the table's changes from the snapshot on (they wait for the copy)
            sweep.sweep(spec);
        }
    }

    /** A session reading as a page does (the pool's session settings), inside the snapshot. */
    private Connection session(SnapshotHandle snapshot) throws SQLException {
        Connection session = connections.open();
        try (Statement s = session.createStatement()) {
            for (String set : SourceSession.SETTINGS.split(";")) {
                s.execute(set.trim());
            }
            s.execute("SET default_transaction_read_only = on");
            snapshot.begin(session);
            return session;
        } catch (SQLException | RuntimeException e) {
            close(session);
            throw e;
        }
    }

    private static void close(Connection session) {
        try {
            session.rollback();
        } catch (SQLException ignored) {
            // a read-only transaction: ending the session ends it
        }
        try {
            session.close();
        } catch (SQLException ignored) {
            // already gone
        }
    }
}
