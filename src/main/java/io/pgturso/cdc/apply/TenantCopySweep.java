package io.pgturso.cdc.apply;

import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSql;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.transform.RowKey;
import io.pgturso.verify.Bytes;
import io.pgturso.verify.DeadLetterKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a copy of a table with fan-out from a snapshot as a full pass ends: each row the key index lists in a tenant
 * database that the copy did not write there (deleted, or moved to another tenant, while no slot existed) is deleted
 * there, then forgotten by the index. It runs before the stream applies the table's changes from the snapshot on, so a
 * row written after the snapshot is never deleted.
 */
final class TenantCopySweep {
    private static final Logger LOG = LoggerFactory.getLogger(TenantCopySweep.class);
    /** Index entries handled per round (memory stays bounded). */
    private static final int PER_ROUND = 1_000;
    /** Before every entry (keys are JSON objects, so never empty). */
    private static final TenantKeys.Entry FIRST = new TenantKeys.Entry("", "");

    private final TenantDatabases tenants;
    private final TenantKeys keys;

    TenantCopySweep(TenantDatabases tenants, TenantKeys keys) {
        this.tenants = tenants;
        this.keys = keys;
    }

    /**
     * Before the copy's first page: what an earlier copy noted is forgotten; its pages note the rows they write unless
     * the index lists none of the table's rows (a first copy: nothing to sweep). Returns whether a sweep follows.
     */
    boolean starting(TableSpec spec) {
        return keys.copyStarted(spec.targetTable());
    }

    /** After the copy's last page: deletes the rows the copy did not write, returns how many index entries went. */
    long sweep(TableSpec spec) throws SQLException {
        String table = spec.targetTable();
        long swept = 0;
        List<TenantKeys.Entry> round = keys.notCopied(table, FIRST, PER_ROUND);
        while (!round.isEmpty()) {
            Map<String, List<String>> byDatabase = new TreeMap<>();
            round.forEach(e -> byDatabase.computeIfAbsent(e.database(), d -> new ArrayList<>()).add(e.key()));
            for (Map.Entry<String, List<String>> part : byDatabase.entrySet()) {
                // a database never registered was never written: it holds nothing to delete
                if (tenants.registry().tenant(part.getKey()) != null) {
                    delete(spec, part.getKey(), part.getValue());
                }
            }
            // the index forgets a database only once the row has left it
            keys.remove(table, round);
            swept += round.size();
            round = keys.notCopied(table, round.get(round.size() - 1), PER_ROUND);
        }
        keys.copyDone(table);
        if (swept > 0) {
            LOG.info("{}: deleted {} rows from the tenant databases that the snapshot no longer holds there", spec.routeId(),
                    swept);
        }
        return swept;
    }

    /** Deletes these rows (keys as {@code RowKey} JSON) from one tenant database, in one transaction. */
    private void delete(TableSpec spec, String database, List<String> rowKeys) throws SQLException {
        try (Connection c = tenants.dataSource(database).getConnection()) {
            if (!hasTable(c, spec.targetTable())) {
                return;
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(TargetSql.delete(spec))) {
                for (String rowKey : rowKeys) {
                    List<Object> values = DeadLetterKeys.convert(spec, RowKey.parse(rowKey)).values();
                    int i = 1;
                    for (Object v : values) {
                        ps.setObject(i++, v instanceof Bytes b ? b.value() : v);
                    }
                    if (spec.cursor() != null) {
                        ps.setObject(i, null); // a NULL cursor lets the delete's guard pass, as a pass's delete of a row gone
                    }
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
