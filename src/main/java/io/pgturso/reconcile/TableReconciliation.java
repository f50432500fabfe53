package io.pgturso.reconcile;

import io.pgturso.failure.TableBusyException;
import io.pgturso.pass.TableLocks;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import io.pgturso.verify.ChunkHash;
import io.pgturso.verify.ChunkSql;
import io.pgturso.verify.ComparedKey;
import io.pgturso.verify.ComparedRow;
import io.pgturso.verify.SourceReader;
import io.pgturso.verify.TargetReader;
import io.pgturso.verify.TargetTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Deletes from the target the rows whose key no longer exists in Postgres (a hard DELETE leaves nothing for the sync
 * to read). Compares keys chunk by chunk from where the last run stopped: count and hash of the keys on both sides,
 * and only for a chunk that differs, which target keys Postgres lacks.
 *
 * <p>Why it never deletes a live row: the target chunk is read first, then Postgres, so a row inserted and synced
 * meanwhile is in the Postgres read too; a key missing from Postgres is looked up again by exact key (equality holds
 * even where a collation would order keys differently); and each delete applies only while the target still holds the
 * version read (same cursor value), so a row deleted and inserted again, then synced between the reads and the
 * delete, is kept. Where a delete has no version to check (no cursor, or the cursor is part of the key), the table's
 * lock is what keeps it safe: the exact lookup and the deletes of a chunk run under the lock the passes take, so no pass
 * writes the table between them; while a pass holds it, the run stops before that chunk. Every read of a chunk
 * completes before any of its deletes; a failure ends the run with nothing of that chunk deleted, and the next run
 * starts again at that chunk.
 */
public class TableReconciliation {
    private final DataSource source;
    private final DataSource target;
    private final ReconcilePositions positions;
    private final int chunkSize;
    private final TableLocks locks;

    /** @param locks the passes' table locks, held while a chunk's rows are confirmed gone and deleted */
    public TableReconciliation(DataSource source, DataSource target, ReconcilePositions positions, int chunkSize,
            TableLocks locks) {
        this.locks = locks;
        this.source = source;
        this.target = target;
        this.positions = positions;
        this.chunkSize = chunkSize;
    }

    /** Reconciles up to {@code maxChunks} chunks, stopping early at the end of the table. */
    public ReconcileRun run(TableSpec spec, int maxChunks) throws SQLException {
        positions.createTable();
        if (!TargetTables.exists(target, spec.targetTable())) {
            return new ReconcileRun(spec.routeId(), 0, 0, 0, null, "target table \"" + spec.targetTable() + "\" does not exist yet",
                    null);
        }
        List<ColumnSpec> targetColumns = new ArrayList<>(spec.key());
        if (ChunkSql.guardCursor(spec) != null) {
            targetColumns.add(ChunkSql.guardCursor(spec));
        }
        TargetReader targetKeys = new TargetReader(spec, targetColumns, target);
        ComparedKey position = positions.load(spec);
        int chunks = 0;
        int differing = 0;
        long deleted = 0;
        try (SourceReader sourceKeys = SourceReader.open(spec, source, true)) {
            while (chunks < maxChunks) {
                List<ComparedRow> inTarget = targetKeys.read(position, chunkSize);
                if (inTarget.isEmpty()) {
                    position = null;
                    positions.save(spec, null, 0);
                    break;
                }
                ComparedKey upper = inTarget.size() < chunkSize ? null : last(inTarget);
                List<ComparedRow> inSource = sourceKeys.readRange(position, upper, chunkSize);
                if (inSource.size() == chunkSize && (upper == null || last(inSource).compareTo(upper) < 0)) {
                    // Postgres holds more keys in this range than a chunk: the chunk ends at its last one
                    upper = last(inSource);
                    inTarget = through(inTarget, upper);
                }
                chunks++;
                long chunkDeleted = 0;
                if (!ChunkHash.ofKeys(keys(inTarget)).equals(ChunkHash.ofKeys(keys(inSource)))) {
                    differing++;
                    try (TableLocks.Held held = locks.holdWhenFree(spec.targetTable(), "delete reconciliation of " + spec.routeId())) {
                        chunkDeleted = delete(spec, absent(inTarget, inSource, sourceKeys));
                    } catch (TableBusyException e) {
                        return new ReconcileRun(spec.routeId(), chunks - 1, differing - 1, deleted, position, null, e.getMessage());
                    }
                    deleted += chunkDeleted;
                }
                position = upper;
                positions.save(spec, position, chunkDeleted);
                if (position == null) {
                    break;
                }
            }
        }
        return new ReconcileRun(spec.routeId(), chunks, differing, deleted, position, null, null);
    }

    /** Target rows whose key Postgres lacks, confirmed by an exact lookup. */
    private static List<ComparedRow> absent(List<ComparedRow> inTarget, List<ComparedRow> inSource, SourceReader sourceKeys)
            throws SQLException {
        Set<ComparedKey> present = new HashSet<>(keys(inSource));
        List<ComparedRow> candidates = inTarget.stream().filter(r -> !present.contains(r.key())).toList();
        if (candidates.isEmpty()) {
            return candidates;
        }
        Set<ComparedKey> stillThere = sourceKeys.existing(keys(candidates));
        return candidates.stream().filter(r -> !stillThere.contains(r.key())).toList();
    }

    /** Deletes the rows in one batch and one transaction; returns how many were deleted. */
    private long delete(TableSpec spec, List<ComparedRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try (Connection c = target.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(ChunkSql.targetDelete(spec))) {
                for (ComparedRow row : rows) {
                    ChunkSql.bind(ps, 1, row.values());
                    ps.addBatch();
                }
                long n = 0;
                for (int count : ps.executeBatch()) {
                    // a driver that applies held writes at commit reports no count: the confirmed key counts as deleted
                    n += count == Statement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static List<ComparedRow> through(List<ComparedRow> rows, ComparedKey upper) {
        return rows.stream().filter(r -> r.key().compareTo(upper) <= 0).toList();
    }

    private static ComparedKey last(List<ComparedRow> rows) {
        return rows.get(rows.size() - 1).key();
    }

    private static List<ComparedKey> keys(List<ComparedRow> rows) {
        return rows.stream().map(ComparedRow::key).toList();
    }
}
