package io.pgturso.reconcile;

import io.pgturso.failure.TableBusyException;
import io.pgturso.pass.TableLocks;
import io.pgturso.source.TableSpec;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.transform.RowKey;
import io.pgturso.verify.ComparedKey;
import io.pgturso.verify.DeadLetterKeys;
import io.pgturso.verify.SourceReader;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The hard-delete reconciliation of a table with fan-out: its rows are spread over the tenant databases, and the key
 * index ({@link TenantKeys}) lists, for each row, every database that may hold it. So the index is walked in chunks of
 * entries from where the last run stopped; Postgres is asked which of a chunk's keys it still has (not marked deleted,
 * matching the table's {@code where}), and each key it lacks is deleted from every database the index names for it,
 * then forgotten by the index.
 *
 * <p>It deletes only what is gone, as {@link TableReconciliation} does: under the table's lock (no pass writes the table
 * meanwhile; while one holds it the run stops before that chunk), each database's rows are read first, then the
 * missing keys looked up again in Postgres by exact key, and each delete applies only while the database still holds the
 * version read. Each database's deletes of a chunk are one transaction; the index forgets an entry only after its
 * database's transaction committed (a crash in between leaves the entry, and the next run deletes nothing there and
 * forgets it). A failure ends the run; the next run starts again at that chunk.
 */
final class TenantReconciliation {
    /** Before every entry (keys are JSON objects, so never empty). */
    private static final TenantKeys.Entry FIRST = new TenantKeys.Entry("", "");

    private final DataSource source;
    private final TenantDatabases tenants;
    private final TenantKeys keys;
    private final ReconcilePositions positions;
    private final int chunkSize;
    private final TableLocks locks;

    TenantReconciliation(DataSource source, TenantDatabases tenants, TenantKeys keys, ReconcilePositions positions, int chunkSize,
            TableLocks locks) {
        this.source = source;
        this.tenants = tenants;
        this.keys = keys;
        this.positions = positions;
        this.chunkSize = chunkSize;
        this.locks = locks;
    }

    /** Reconciles up to {@code maxChunks} chunks of the index's entries, stopping early at its end. */
    ReconcileRun run(TableSpec spec, int maxChunks) throws SQLException {
        positions.createTable();
        keys.createTable();
        String table = spec.targetTable();
        TenantKeys.Entry position = positions.loadEntry(spec);
        int chunks = 0;
        int differing = 0;
        long deleted = 0;
        try (SourceReader sourceKeys = SourceReader.open(spec, source, true)) {
            while (chunks < maxChunks) {
                List<TenantKeys.Entry> chunk = keys.after(table, position == null ? FIRST : position, chunkSize);
                if (chunk.isEmpty()) {
                    position = null;
                    positions.saveEntry(spec, null, 0);
                    break;
                }
                chunks++;
                Map<ComparedKey, List<TenantKeys.Entry>> gone = byKey(spec, chunk);
                gone.keySet().removeAll(sourceKeys.existing(gone.keySet()));
                long chunkDeleted = 0;
                if (!gone.isEmpty()) {
                    differing++;
                    try (TableLocks.Held held = locks.holdWhenFree(table, "delete reconciliation of " + spec.routeId())) {
                        chunkDeleted = deleteGone(spec, gone, sourceKeys);
                    } catch (TableBusyException e) {
                        return new ReconcileRun(spec.routeId(), chunks - 1, differing - 1, deleted, shown(position), null,
                                e.getMessage());
                    }
                    deleted += chunkDeleted;
                }
                position = chunk.size() < chunkSize ? null : chunk.get(chunk.size() - 1);
                positions.saveEntry(spec, position, chunkDeleted);
                if (position == null) {
                    break;
                }
            }
        }
        return new ReconcileRun(spec.routeId(), chunks, differing, deleted, shown(position), null, null);
    }

    /**
     * Under the table's lock: reads the rows of the keys Postgres lacked from each database the index names, looks the
     * keys up again in Postgres, deletes those still missing (one transaction per database), then makes the index forget
     * the entries whose database no longer holds the row. Returns the rows deleted.
     */
    private long deleteGone(TableSpec spec, Map<ComparedKey, List<TenantKeys.Entry>> gone, SourceReader sourceKeys)
            throws SQLException {
        Map<String, List<ComparedKey>> byDatabase = new TreeMap<>();
        gone.forEach((key, entries) -> entries.forEach(e -> byDatabase.computeIfAbsent(e.database(), d -> new ArrayList<>()).add(key)));
        Map<String, TenantRows> read = new TreeMap<>();
        for (Map.Entry<String, List<ComparedKey>> part : byDatabase.entrySet()) {
            // a database never registered was never written (registered before its first row): it holds nothing
            if (tenants.registry().tenant(part.getKey()) != null) {
                read.put(part.getKey(), TenantRows.read(spec, tenants.dataSource(part.getKey()), part.getValue()));
            }
        }
        // read first, then Postgres: a row inserted again and written meanwhile is found here
        Set<ComparedKey> stillThere = sourceKeys.existing(gone.keySet());
        long deleted = 0;
        Map<String, Set<ComparedKey>> kept = new HashMap<>();
        for (Map.Entry<String, TenantRows> part : read.entrySet()) {
            TenantRows rows = part.getValue().without(stillThere);
            deleted += rows.delete();
            kept.put(part.getKey(), new HashSet<>(rows.changed()));
        }
        List<TenantKeys.Entry> forgotten = new ArrayList<>();
        gone.forEach((key, entries) -> {
            if (!stillThere.contains(key)) {
                entries.stream().filter(e -> !kept.getOrDefault(e.database(), Set.of()).contains(key)).forEach(forgotten::add);
            }
        });
        // only now that every database's deletes committed: a crash before leaves the entries, and the deletes are repeated
        keys.remove(spec.targetTable(), forgotten);
        return deleted;
    }

    /** The chunk's entries by key, as the target stores keys; an entry whose key no longer fits the table's key is left alone. */
    private static Map<ComparedKey, List<TenantKeys.Entry>> byKey(TableSpec spec, List<TenantKeys.Entry> chunk) {
        Map<ComparedKey, List<TenantKeys.Entry>> out = new LinkedHashMap<>();
        for (TenantKeys.Entry e : chunk) {
            ComparedKey key;
            try {
                key = DeadLetterKeys.convert(spec, RowKey.parse(e.key()));
            } catch (RuntimeException notThisKey) {
                // written under another key definition: no row of the table has it now
                continue;
            }
            out.computeIfAbsent(key, k -> new ArrayList<>(2)).add(e);
        }
        return out;
    }

    /** Where the next run continues, as the run's log line shows it (the index entry's key). */
    private static ComparedKey shown(TenantKeys.Entry position) {
        return position == null ? null : ComparedKey.of(position.key() + " in " + position.database());
    }
}
