package io.pgturso.verify;

import io.pgturso.failure.SyncFailures;
import io.pgturso.source.TableSpec;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Compares one table between Postgres and the target, chunk by chunk in key order, over the values the sync writes.
 * Each side buffers at most a chunk of rows; a chunk ends at the smaller of the two sides' last buffered keys, so both
 * sides cut it at the same key. Chunks with equal count and hash are equal; the others are merged row by row to name
 * the rows missing from the target, extra in it, or changed.
 */
public class TableComparison {
    /** Differing key ranges kept for the report; all are counted. */
    private static final int MAX_RANGES = 20;

    private final int chunkSize;
    private final int maxExamples;

    /** Compares in chunks of {@code chunkSize} rows and keeps up to {@code maxExamples} keys per kind of difference. */
    public TableComparison(int chunkSize, int maxExamples) {
        this.chunkSize = chunkSize;
        this.maxExamples = maxExamples;
    }

    /** Compares a table; its open dead letters (read from the target) are reported as known differences. */
    public ComparisonResult compare(TableSpec spec, DataSource source, DataSource target) {
        try {
            return compare(spec, source, target, DeadLetterKeys.of(spec, target));
        } catch (SQLException e) {
            return ComparisonResult.failed(spec.routeId(), "cannot read the target: " + SyncFailures.describe(e));
        }
    }

    /**
     * Compares one tenant's rows ({@code spec} narrowed by {@link TableSpec#forTenant}) with its own database
     * ({@code tenant}); the dead letters are in the control database ({@code control}). Labelled {@code label}.
     */
    public ComparisonResult compareTenant(TableSpec spec, String label, DataSource source, DataSource tenant, DataSource control) {
        ComparisonResult r;
        try {
            r = compare(spec, source, tenant, DeadLetterKeys.of(spec, control));
        } catch (SQLException e) {
            r = ComparisonResult.failed(spec.routeId(), "cannot read the control database: " + SyncFailures.describe(e));
        }
        return new ComparisonResult(label, r.sourceRows(), r.targetRows(), r.chunks(), r.differingChunks(), r.differingRanges(),
                r.missing(), r.extra(), r.changed(), r.deadLettered(), r.problem());
    }

    /** Compares a table; differences on {@code deadLettered} keys are reported as known. */
    public ComparisonResult compare(TableSpec spec, DataSource source, DataSource target, Set<ComparedKey> deadLettered) {
        try {
            if (!TargetTables.exists(target, spec.targetTable())) {
                return ComparisonResult.failed(spec.routeId(), "target table \"" + spec.targetTable()
                        + "\" does not exist (no pass has run yet)");
            }
            try (SourceReader reader = SourceReader.open(spec, source, false)) {
                return run(spec, new SortedRows(reader, "Postgres"),
                        new SortedRows(new TargetReader(spec, spec.columns(), target), "The target"), deadLettered);
            }
        } catch (SQLException | RuntimeException e) {
            return ComparisonResult.failed(spec.routeId(), SyncFailures.describe(e));
        }
    }

    private ComparisonResult run(TableSpec spec, SortedRows source, SortedRows target, Set<ComparedKey> deadLettered)
            throws SQLException {
        Differences differences = new Differences(maxExamples, deadLettered);
        List<KeyRange> ranges = new ArrayList<>();
        long chunks = 0;
        long differing = 0;
        while (true) {
            source.fill(chunkSize);
            target.fill(chunkSize);
            if (source.isEmpty() && target.isEmpty()) {
                break;
            }
            ComparedKey upper = ComparedKey.minBound(source.bound(), target.bound());
            List<ComparedRow> a = source.takeThrough(upper);
            List<ComparedRow> b = target.takeThrough(upper);
            chunks++;
            if (!ChunkHash.ofRows(a).equals(ChunkHash.ofRows(b)) && differences.merge(a, b)) {
                differing++;
                if (ranges.size() < MAX_RANGES) {
                    ranges.add(range(a, b));
                }
            }
        }
        return new ComparisonResult(spec.routeId(), source.total(), target.total(), chunks, differing, List.copyOf(ranges),
                differences.missing(), differences.extra(), differences.changed(), differences.deadLettered(), null);
    }

    private static KeyRange range(List<ComparedRow> a, List<ComparedRow> b) {
        ComparedKey first = a.isEmpty() ? b.get(0).key() : b.isEmpty() ? a.get(0).key()
                : min(a.get(0).key(), b.get(0).key());
        ComparedKey last = a.isEmpty() ? b.get(b.size() - 1).key() : b.isEmpty() ? a.get(a.size() - 1).key()
                : max(a.get(a.size() - 1).key(), b.get(b.size() - 1).key());
        return new KeyRange(first, last);
    }

    private static ComparedKey min(ComparedKey a, ComparedKey b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static ComparedKey max(ComparedKey a, ComparedKey b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
