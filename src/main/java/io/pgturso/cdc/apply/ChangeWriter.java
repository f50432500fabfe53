package io.pgturso.cdc.apply;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.failure.SyncFailures;
import io.pgturso.pass.PositionalParameters;
import io.pgturso.source.TableSpec;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.target.TargetKind;
import io.pgturso.target.TargetSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one exchange's writes in one target transaction, with the slot's position stored in it and the dead letters
 * its rows close: the target holds all of it, or none (but a row it refuses, then written one by one) (a crash in between sends the exchange again, and the stored
 * position tells it is in). Consecutive writes of one statement go as a batch; upserts of one table several to a
 * statement where the target takes it ({@link TargetKind#rowsPerStatement}).
 */
final class ChangeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeWriter.class);
    private static final String CLOSE = "DELETE FROM " + DeadLetterStore.TABLE + " WHERE sync_table = ? AND row_key = ?";

    private final DataSource target;
    private final TargetKind kind;
    private final CdcPositions positions;
    /** Writes the parts of tables with fan-out into the tenants' databases; null without tenant databases. */
    private TenantWriter tenants;
    /** Records a row the target refused in the dead letters. */
    private Consumer<ChangeBatch.Rejected> refusals = r -> {
        throw new IllegalStateException("no dead letters for a refused row");
    };

    ChangeWriter(DataSource target, TargetKind kind, CdcPositions positions) {
        this.target = target;
        this.kind = kind;
        this.positions = positions;
    }

    /** Records the rows the target refuses in the dead letters. */
    void refusals(Consumer<ChangeBatch.Rejected> recorder) {
        this.refusals = recorder;
    }

    /** Writes the parts of tables with fan-out into the tenants' databases. */
    void tenants(TenantWriter writer) {
        this.tenants = writer;
    }

    /**
     * Writes the batch and, unless {@link Lsn#NONE}, its position for {@code slot}, in one transaction. The parts of
     * tables with fan-out go first, each in one transaction of its tenant's database; the control database's transaction
     * (the rest, the position, the key index's forgotten entries) commits only once they are all in. When the target
     * refuses a row (constraint, type, size), the writes go again one at a time: the refused ones are dead-lettered
     * before the position is stored (a crash writes them again), the others land, and the position moves on.
     */
    void write(ChangeBatch batch, String slot) throws SQLException {
        if (batch.empty() && batch.lsn() == Lsn.NONE && batch.written().isEmpty()) {
            return;
        }
        TenantPlan plan = batch.tenantPlan();
        List<RowWrite> writes = batch.writes();
        if (plan != null) {
            tenants.write(batch, plan, slot);
            writes = writes.stream().filter(w -> w.database() == null).toList();
        }
        try {
            commit(writes, batch, plan, slot);
            return;
        } catch (SQLException | RuntimeException e) {
            if (!SyncFailures.isRowProblem(e)) {
                throw e;
            }
            LOG.info("The target refused a row of the stream ({}): writing the exchange one row at a time",
                    SyncFailures.describe(e));
        }
        // the dead letters are in before the position: a crash in between writes the refused rows again
        oneAtATime(writes, batch).forEach(refusals);
        commit(List.of(), batch, plan, slot);
    }

    /** The writes, the key index's forgotten entries, the position and the dead letters the written rows close, in one transaction. */
    private void commit(List<RowWrite> writes, ChangeBatch batch, TenantPlan plan, String slot) throws SQLException {
        try (Connection c = target.getConnection(); Statements statements = new Statements(c)) {
            c.setAutoCommit(false);
            try {
                apply(statements, kind, writes);
                if (plan != null) {
                    tenants.forget(c, plan);
                }
                if (batch.lsn() != Lsn.NONE) {
                    positions.store(c, slot, batch.lsn(), batch.commitTime());
                }
                // after the writes: a row its database refused keeps its dead letter open
                for (Map.Entry<String, List<String>> table : batch.written().entrySet()) {
                    PreparedStatement close = statements.get(CLOSE);
                    for (String key : table.getValue()) {
                        close.setString(1, table.getKey());
                        close.setString(2, key);
                        close.addBatch();
                    }
                    close.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Each write in a transaction of its own (a target may send its writes only at commit): those the target refuses,
     * to be dead-lettered; a failure of the target itself stops.
     */
    private List<ChangeBatch.Rejected> oneAtATime(List<RowWrite> writes, ChangeBatch batch) throws SQLException {
        List<ChangeBatch.Rejected> refused = new ArrayList<>();
        try (Connection c = target.getConnection(); Statements statements = new Statements(c)) {
            c.setAutoCommit(false);
            try {
                for (RowWrite w : writes) {
                    try {
                        apply(statements, kind, List.of(w));
                        c.commit();
                    } catch (SQLException | RuntimeException e) {
                        rollback(c);
                        if (!SyncFailures.isRowProblem(e) || w.tenanted() == null || w.tenanted().source() == null) {
                            throw e; // a truncate refused names no row to dead-letter
                        }
                        refused.add(batch.refused(w, e));
                    }
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
        return refused;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: nothing of the transaction was committed
        }
    }

    /** Writes {@code writes} in order on {@code connection}, inside the caller's transaction. */
    static void apply(Connection connection, TargetKind kind, List<RowWrite> writes) throws SQLException {
        try (Statements statements = new Statements(connection)) {
            apply(statements, kind, writes);
        }
    }

    private static void apply(Statements statements, TargetKind kind, List<RowWrite> writes) throws SQLException {
        int from = 0;
        while (from < writes.size()) {
            String sql = writes.get(from).sql();
            int to = from + 1;
            while (to < writes.size() && writes.get(to).sql().equals(sql)) {
                to++;
            }
            run(statements, kind, writes.subList(from, to));
            from = to;
        }
    }

    /** Writes of one statement, in order. */
    private static void run(Statements statements, TargetKind kind, List<RowWrite> writes) throws SQLException {
        RowWrite first = writes.get(0);
        TableSpec spec = first.spec();
        int perStatement = first.upsert() ? kind.rowsPerStatement(spec.targetColumns().size()) : 1;
        int grouped = perStatement > 1 ? writes.size() / perStatement * perStatement : 0;
        if (grouped > 0) {
            PreparedStatement group = statements.get(TargetSql.upsert(spec, perStatement));
            for (int i = 0; i < grouped; i += perStatement) {
                int index = 0;
                for (RowWrite write : writes.subList(i, i + perStatement)) {
                    for (Object value : write.parameters()) {
                        PositionalParameters.bind(group, ++index, value);
                    }
                }
                group.addBatch();
            }
            group.executeBatch();
        }
        if (grouped < writes.size()) {
            PreparedStatement each = statements.get(first.sql());
            for (RowWrite write : writes.subList(grouped, writes.size())) {
                int index = 0;
                for (Object value : write.parameters()) {
                    PositionalParameters.bind(each, ++index, value);
                }
                each.addBatch();
            }
            each.executeBatch();
        }
    }

    /** The statements prepared on one connection for one transaction, closed with it. */
    private static final class Statements implements AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement ps = prepared.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                prepared.put(sql, ps);
            }
            return ps;
        }

        @Override
        public void close() {
            for (PreparedStatement ps : prepared.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closed with its connection
                }
            }
        }
    }
}
