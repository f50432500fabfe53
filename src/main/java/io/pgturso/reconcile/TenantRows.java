package io.pgturso.reconcile;

import io.pgturso.source.ColumnSpec;
import io.pgturso.source.Sql;
import io.pgturso.source.TableSpec;
import io.pgturso.verify.ChunkSql;
import io.pgturso.verify.ComparedKey;
import io.pgturso.verify.TargetTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Some rows of one tenant database as read before they are deleted: each held key with its version (the cursor that
 * guards the delete, or none), so that a delete applies only while the database still holds the version read.
 */
final class TenantRows {
    private final TableSpec spec;
    private final DataSource database;
    /** The keys the database holds, with the version read (null without a guard cursor). */
    private final Map<ComparedKey, Object> versions;
    /** Keys whose row changed since it was read, so the delete left it. */
    private final List<ComparedKey> changed = new ArrayList<>();

    private TenantRows(TableSpec spec, DataSource database, Map<ComparedKey, Object> versions) {
        this.spec = spec;
        this.database = database;
        this.versions = versions;
    }

    /** Reads which of {@code keys} the database holds, and their versions (none when the table is not there yet). */
    static TenantRows read(TableSpec spec, DataSource database, Collection<ComparedKey> keys) throws SQLException {
        Map<ComparedKey, Object> versions = new LinkedHashMap<>();
        ColumnSpec guard = ChunkSql.guardCursor(spec);
        try (Connection c = database.getConnection()) {
            if (!TargetTables.exists(c, spec.targetTable())) {
                return new TenantRows(spec, database, versions);
            }
            String sql = "SELECT " + (guard == null ? "1" : Sql.quote(guard.target())) + " FROM " + Sql.quote(spec.targetTable())
                    + " WHERE " + spec.key().stream().map(k -> Sql.quote(k.target()) + " = ?").collect(Collectors.joining(" AND "));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (ComparedKey key : keys) {
                    ChunkSql.bind(ps, 1, key.values());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            versions.put(key, guard == null ? null : rs.getObject(1));
                        }
                    }
                }
            }
        }
        return new TenantRows(spec, database, versions);
    }

    /** The same rows but those whose key Postgres has after all. */
    TenantRows without(Collection<ComparedKey> present) {
        Map<ComparedKey, Object> left = new LinkedHashMap<>(versions);
        left.keySet().removeAll(present);
        return new TenantRows(spec, database, left);
    }

    /** Deletes the rows in one batch and one transaction; returns how many were deleted. */
    long delete() throws SQLException {
        if (versions.isEmpty()) {
            return 0;
        }
        boolean guarded = ChunkSql.guardCursor(spec) != null;
        List<ComparedKey> order = new ArrayList<>(versions.keySet());
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(ChunkSql.targetDelete(spec))) {
                for (ComparedKey key : order) {
                    int next = ChunkSql.bind(ps, 1, key.values());
                    if (guarded) {
                        ps.setObject(next, versions.get(key));
                    }
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                long n = 0;
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        changed.add(order.get(i));
                    }
                    // a driver that applies held writes at commit reports no count: the confirmed key counts as deleted
                    n += counts[i] == Statement.SUCCESS_NO_INFO ? 1 : Math.max(counts[i], 0);
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                changed.clear();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** After {@link #delete()}: the keys whose row the database holds in another version than read (kept there). */
    List<ComparedKey> changed() {
        return changed;
    }
}
