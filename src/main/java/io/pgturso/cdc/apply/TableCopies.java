package io.pgturso.cdc.apply;

import io.pgturso.cdc.SnapshotHandle;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.cdc.pgoutput.Relation;
import io.pgturso.config.ConfigException;
import io.pgturso.pass.PassListener;
import io.pgturso.source.TableSpec;
import io.pgturso.target.CheckpointStore;
import io.pgturso.target.TargetRebuildNeededException;
import io.pgturso.target.TargetSchema;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each cdc table's copy from a snapshot of the stream, and so which of its changes the stream applies: those committed
 * at or after the snapshot's position. A table added later, or whose columns changed (a column added: the rows it had
 * get their values only from a copy), is copied from a snapshot of its own while the others keep streaming; its changes
 * from that snapshot on wait for the copy. A column retyped so that the target must be rebuilt stops the table (its
 * changes are skipped) until {@code resync --table} copies it anew.
 */
final class TableCopies implements StreamTables {
    private static final Logger LOG = LoggerFactory.getLogger(TableCopies.class);
    private static final long RETRY_SECONDS = 10;

    /** Exports a snapshot for one table's copy (a temporary slot, named after the table). */
    interface Snapshots {
        SnapshotHandle export(String suffix) throws SQLException;
    }

    /** Where a table stands. */
    private sealed interface State permits Streamed, Copying, Stopped {
    }

    /** Copied from the snapshot at {@code from}: the stream applies its changes from there on. */
    private record Streamed(long from, String madeFor) implements State {
    }

    /** Being copied from the snapshot at {@code from}; {@code done} completes with the copy. */
    private record Copying(long from, String madeFor, CompletableFuture<Void> done) implements State {
    }

    /** Stopped: nothing of the stream is applied to it until a new copy. */
    private record Stopped(String why) implements State {
    }

    private final String slot;
    private final CdcTables tables;
    private final CdcPositions positions;
    private final TargetSchema schema;
    private final Snapshots snapshots;
    private final SnapshotCopy copier;
    private final ScheduledExecutorService background;
    private final PassListener listener;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Set<Relation> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    /** For a table with fan-out: a tenant database whose table must be rebuilt for the spec, or null. */
    private java.util.function.Function<TableSpec, String> tenantRebuild = spec -> null;

    TableCopies(String slot, CdcTables tables, CdcPositions positions, TargetSchema schema, Snapshots snapshots,
            SnapshotCopy copier, ScheduledExecutorService background, PassListener listener) {
        this.slot = slot;
        this.tables = tables;
        this.positions = positions;
        this.schema = schema;
        this.snapshots = snapshots;
        this.copier = copier;
        this.background = background;
        this.listener = listener;
    }

    /** How a table with fan-out finds a tenant database whose table must be rebuilt for a spec (null: none). */
    void tenantRebuilds(java.util.function.Function<TableSpec, String> check) {
        this.tenantRebuild = check;
    }

    /** Every table copied from the first snapshot, at {@code lsn}. */
    void allCopied(List<TableSpec> specs, long lsn) {
        for (TableSpec spec : specs) {
            states.put(spec.routeId(), new Streamed(lsn, CheckpointStore.identity(spec)));
        }
    }

    /**
     * Reads where each table stands from the target; starts the copies of tables never copied (added later) or whose
     * columns changed since their copy. Returns the tables being copied.
     */
    List<String> load(List<TableSpec> specs) {
        Map<String, CdcPositions.Copy> copies = positions.copies(slot);
        for (TableSpec spec : specs) {
            CdcPositions.Copy copy = copies.get(spec.targetTable());
            if (copy != null && copy.stopped() != null) {
                stop(spec, copy.stopped(), false);
            } else if (copy != null && copy.madeFor().equals(CheckpointStore.identity(spec))) {
                states.put(spec.routeId(), new Streamed(copy.lsn(), copy.madeFor()));
            } else {
                LOG.info("{}: {}: copying it from a snapshot while the other tables stream", spec.routeId(), copy == null
                        ? "not copied from the change stream yet" : "its columns changed since its copy");
                changed(spec);
            }
        }
        return states.entrySet().stream().filter(e -> e.getValue() instanceof Copying).map(Map.Entry::getKey).toList();
    }

    @Override
    public TableSpec spec(Relation relation) {
        TableSpec spec = tables.of(relation).orElse(null);
        if (spec == null) {
            return null;
        }
        boolean first;
        synchronized (seen) {
            first = seen.add(relation);
        }
        // a Relation message comes before a table's first change on a connection and again after its schema changed
        if (first && !(states.get(spec.routeId()) instanceof Stopped)) {
            try {
                TableSpec now = tables.refresh(spec.routeId());
                State state = states.get(spec.routeId());
                String madeFor = state instanceof Streamed s ? s.madeFor() : state instanceof Copying c ? c.madeFor() : null;
                if (!CheckpointStore.identity(now).equals(madeFor)) {
                    LOG.info("{}: its columns changed in Postgres: copying it again from a snapshot", spec.routeId());
                    changed(now);
                }
                return now;
            } catch (ConfigException e) {
                LOG.warn("{}: {}", spec.routeId(), e.getMessage());
            }
        }
        return spec;
    }

    @Override
    public boolean fromStream(TableSpec spec, long commitLsn) throws InterruptedException {
        while (true) {
            State state = states.get(spec.routeId());
            if (state == null) {
                return true; // not loaded yet: the first start copies every table before streaming
            }
            if (state instanceof Stopped) {
                return false;
            }
            if (state instanceof Streamed s) {
                return Lsn.compare(commitLsn, s.from()) >= 0;
            }
            Copying copying = (Copying) state;
            if (Lsn.compare(commitLsn, copying.from()) < 0) {
                return false; // in the copy
            }
            try {
                copying.done().get(); // this change must land after the copy's rows
            } catch (ExecutionException e) {
                // the copy failed and starts again from a new snapshot: look again
                Thread.sleep(100);
            }
        }
    }

    /** Whether the table is stopped, and why (null when it streams or is being copied). */
    String stopped(String routeId) {
        return states.get(routeId) instanceof Stopped s ? s.why() : null;
    }

    /** Whether the table is being copied. */
    boolean copying(String routeId) {
        return states.get(routeId) instanceof Copying;
    }

    /** The columns changed (or the table is new): the target table is brought in step, then copied anew. */
    private void changed(TableSpec spec) {
        try {
            // a table with fan-out is in the tenants' databases, each brought up to its schema as it is written
            String retyped = spec.fansOut() ? tenantRebuild.apply(spec) : null;
            if (!spec.fansOut()) {
                schema.ensure(spec);
            } else if (retyped != null) {
                stop(spec, spec.routeId() + ": a column's type changed so that its table " + spec.targetTable()
                        + " in tenant database " + retyped + " (and maybe others) must be rebuilt. Stop the "
                        + "sync, run resync --table " + spec.routeId() + " (it rebuilds the table in every tenant "
                        + "database that needs it), then start the sync: it copies the table anew into every tenant", true);
                return;
            }
        } catch (TargetRebuildNeededException e) {
            stop(spec, e.getMessage(), true);
            return;
        }
        startCopy(spec);
    }

    /** Copies the table from a new snapshot, in the background; its changes from the snapshot on wait for it. */
    void startCopy(TableSpec spec) {
        String madeFor = CheckpointStore.identity(spec);
        SnapshotHandle snapshot;
        try {
            snapshot = snapshots.export("copy_" + Integer.toHexString(spec.targetTable().toLowerCase().hashCode()));
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException(spec.routeId() + ": cannot take a snapshot to copy it: " + e.getMessage(), e);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        states.put(spec.routeId(), new Copying(snapshot.consistentLsn(), madeFor, done));
        background.execute(() -> {
            try {
                copier.copy(snapshot, List.of(spec));
                positions.copied(slot, spec.targetTable(), snapshot.consistentLsn(), madeFor);
                states.put(spec.routeId(), new Streamed(snapshot.consistentLsn(), madeFor));
                done.complete(null);
            } catch (RuntimeException | SQLException e) {
                snapshot.close();
                LOG.error("{}: copy from the snapshot failed, tried again in {} s: {}", spec.routeId(), RETRY_SECONDS,
                        e.getMessage());
                background.schedule(() -> retry(spec), RETRY_SECONDS, TimeUnit.SECONDS);
                done.completeExceptionally(e);
            }
        });
    }

    private void retry(TableSpec spec) {
        try {
            startCopy(tables.spec(spec.routeId()));
        } catch (RuntimeException e) {
            LOG.error("{}: {}; tried again in {} s", spec.routeId(), e.getMessage(), RETRY_SECONDS);
            background.schedule(() -> retry(spec), RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void stop(TableSpec spec, String why, boolean record) {
        states.put(spec.routeId(), new Stopped(why));
        if (record) {
            positions.stopped(slot, spec.targetTable(), why);
            LOG.error("{}: stopped, its changes are not applied until it is copied anew: {}", spec.routeId(), why);
        }
        listener.streamed(spec.routeId(), Instant.now(), why);
    }
}
