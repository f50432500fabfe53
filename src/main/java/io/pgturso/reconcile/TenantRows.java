package io.pgturso.reconcile;

import io.pgturso.source.ColumnSpec;
import io.pgturso.source.Sql;
import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSql;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Some rows of one tenant database as read before they are deleted: each held key with its version (the cursor that
 * guards the delete, or none), so that a delete applies only while the database still holds the version read.
 */
final class TenantRows {
    /** SQLite's most terms of a compound SELECT (SQLITE_MAX_COMPOUND_SELECT). */
    private static final int MAX_COMPOUND_TERMS = 500;
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
        List<ComparedKey> asked = new ArrayList<>(new LinkedHashSet<>(keys));
        try (Connection c = database.getConnection()) {
            if (!TargetTables.exists(c, spec.targetTable())) {
                return new TenantRows(spec, database, versions);
            }
            int perStatement = Math.max(1, Math.min(MAX_COMPOUND_TERMS, TargetSql.MAX_PARAMETERS / spec.key().size()));
            for (int from = 0; from < asked.size(); from += perStatement) {
                readPart(c, spec, asked.subList(from, Math.min(asked.size(), from + perStatement)), versions);
            }
        }
        return new TenantRows(spec, database, versions);
    }

    /**
     * Reads some keys in one statement, one branch per key tagged with its position, each the lookup of that key by
     * equalities on its columns, so each key matches exactly as its own statement would (a row value or an IN list
     * makes tursodb scan the table, and a key value read back may differ from the one asked for, a REAL's for one).
     */
    private static void readPart(Connection c, TableSpec spec, List<ComparedKey> part, Map<ComparedKey, Object> versions)
            throws SQLException {
        ColumnSpec guard = ChunkSql.guardCursor(spec);
        String lookup = (guard == null ? "" : ", " + Sql.quote(guard.target())) + " FROM " + Sql.quote(spec.targetTable())
                + " WHERE " + spec.key().stream().map(k -> Sql.quote(k.target()) + " = ?").collect(Collectors.joining(" AND "));
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < part.size(); i++) {
            sql.append(i == 0 ? "SELECT " : " UNION ALL SELECT ").append(i).append(lookup);
        }
        Object[] found = new Object[part.size()];
        boolean[] held = new boolean[part.size()];
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int next = 1;
            for (ComparedKey key : part) {
                next = ChunkSql.bind(ps, next, key.values());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = rs.getInt(1);
                    if (!held[i]) {
                        held[i] = true;
                        found[i] = guard == null ? null : rs.getObject(2);
                    }
                }
            }
        }
        // in the order asked, whatever order the branches' rows came in
        for (int i = 0; i < part.size(); i++) {
            if (held[i]) {
                versions.put(part.get(i), found[i]);
            }
        }
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
