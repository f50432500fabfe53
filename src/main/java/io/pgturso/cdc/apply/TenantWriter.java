package io.pgturso.cdc.apply;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.failure.SyncFailures;
import io.pgturso.tenant.FanOutTables;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the tenant parts of a change-stream exchange: each tenant database's writes in one transaction of its own,
 * with the stream's position stored there ({@code pgturso_cdc}, one row per slot: the tenant database's only sync
 * state), up to {@code sync.fan-out.writers} parts at once ({@link PartsAtOnce}). An exchange sent again after a crash
 * between two tenants' commits skips, in each database, the transactions that database holds already; the control
 * database's transaction, which stores the position confirmed to Postgres, commits only after every part.
 */
final class TenantWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TenantWriter.class);
    private static final String SELECT = "SELECT lsn FROM " + CdcPositions.TABLE + " WHERE slot = ?";

    private final TenantDatabases tenants;
    private final TenantKeys keys;
    private final FanOutTables fanOutTables;
    private final CdcPositions positions;
    /** Records a row a tenant database refused in the dead letters (in the control database). */
    private final Consumer<ChangeBatch.Rejected> refusals;
    /** The tenant databases whose position table this process made or found. */
    private final Set<String> withPositions = ConcurrentHashMap.newKeySet();
    /** Writes the parts side by side. */
    private final PartsAtOnce atOnce;

    TenantWriter(TenantDatabases tenants, TenantKeys keys, FanOutTables fanOutTables, CdcPositions positions,
            Consumer<ChangeBatch.Rejected> refusals, PartsAtOnce atOnce) {
        this.refusals = refusals;
        this.atOnce = atOnce;
        this.tenants = tenants;
        this.keys = keys;
        this.fanOutTables = fanOutTables;
        this.positions = positions;
    }

    /**
     * Notes the databases rows are about to reach (before any is written), then writes the parts at once: each creates
     * its tenant's database if new, then writes its writes in the stream's order. Returns once every part is in.
     */
    void write(ChangeBatch batch, TenantPlan plan, String slot) throws SQLException {
        plan.ahead().forEach(keys::add);
        Map<String, Part> parts = new TreeMap<>();
        for (TenantPlan.Prepare p : plan.prepares()) {
            parts.computeIfAbsent(p.database(), Part::new).prepares().add(p);
        }
        for (RowWrite w : batch.writes()) {
            if (w.database() != null) {
                parts.computeIfAbsent(w.database(), Part::new).writes().add(w);
            }
        }
        atOnce.write(parts.values(), part -> {
            for (TenantPlan.Prepare p : part.prepares()) {
                tenants.prepare(p.tenant(), p.database(), p.spec(), fanOutTables::specs);
            }
            // a database never registered was never written (registered before its first row): it holds nothing to delete
            if (!part.writes().isEmpty() && tenants.registry().tenant(part.database()) != null) {
                write(part.database(), part.writes(), batch, slot);
            }
        });
    }

    /** One tenant database's part: the databases and tables to create first, then its writes in the stream's order. */
    private record Part(String database, List<TenantPlan.Prepare> prepares, List<RowWrite> writes) {
        Part(String database) {
            this(database, new ArrayList<>(), new ArrayList<>());
        }
    }

    /**
     * One tenant's part: the transactions its database does not hold yet, and the position, in one transaction. When
     * the database refuses a row (constraint, type, size), the part is written again one write at a time: the refused
     * writes are dead-lettered naming the database (before the position is stored there, so a crash writes them again),
     * the others land, and the position moves on.
     */
    private void write(String database, List<RowWrite> part, ChangeBatch batch, String slot) throws SQLException {
        try (Connection c = tenants.dataSource(database).getConnection()) {
            if (withPositions.add(database)) {
                try (Statement s = c.createStatement()) {
                    s.execute(CdcPositions.POSITION_TABLE);
                }
            }
            c.setAutoCommit(false);
            try {
                long held = held(c, slot);
                List<RowWrite> todo = part.stream()
                        .filter(w -> held == Lsn.NONE || Lsn.compare(w.tenanted().lsn(), held) >= 0).toList();
                if (todo.isEmpty()) {
                    return;
                }
                try {
                    ChangeWriter.apply(c, tenants.kind(), todo);
                    storeAndCommit(c, batch, slot);
                    return;
                } catch (SQLException | RuntimeException e) {
                    rollback(c);
                    if (!SyncFailures.isRowProblem(e)) {
                        throw e;
                    }
                    LOG.info("Tenant database {} refused a row of the stream ({}): writing its part one row at a time", database,
                            SyncFailures.describe(e));
                }
                for (RowWrite w : todo) {
                    try {
                        ChangeWriter.apply(c, tenants.kind(), List.of(w));
                        c.commit();
                    } catch (SQLException | RuntimeException e) {
                        rollback(c);
                        if (!SyncFailures.isRowProblem(e) || w.tenanted().source() == null) {
                            throw e; // a truncate refused names no row to dead-letter
                        }
                        refused(batch, w, e);
                    }
                }
                storeAndCommit(c, batch, slot);
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                withPositions.remove(database);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private void storeAndCommit(Connection c, ChangeBatch batch, String slot) throws SQLException {
        if (batch.lsn() != Lsn.NONE) {
            positions.store(c, slot, batch.lsn(), batch.commitTime());
        }
        c.commit();
    }

    /**
     * A write the tenant's database refused: dead-lettered with its transaction's position, naming the database (one
     * part at a time: the batch's counts are not shared safely).
     */
    private void refused(ChangeBatch batch, RowWrite w, Throwable error) {
        synchronized (batch) {
            refusals.accept(batch.refused(w, error));
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: nothing of the transaction was committed
        }
    }

    /** Forgets the slot's position in every tenant database (the slot is gone, or dropped by {@code cdc-uninstall}). */
    static void forgetPositions(TenantDatabases tenants, String slot) {
        List<io.pgturso.tenant.TenantRegistry.Tenant> all;
        try {
            all = tenants.registry().all();
        } catch (org.springframework.dao.DataAccessException noRegistry) {
            return; // no tenant database was ever created
        }
        for (var tenant : all) {
            tenants.withJdbc(tenant.database(), jdbc -> {
                if (!jdbc.queryForList("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", String.class,
                        CdcPositions.TABLE).isEmpty()) {
                    jdbc.update("DELETE FROM " + CdcPositions.TABLE + " WHERE slot = ?", slot);
                }
                return null;
            });
        }
    }

    /** A tenant database whose table must be rebuilt for {@code spec} (a column retyped), or null. */
    String needsRebuild(io.pgturso.source.TableSpec spec) {
        for (var tenant : tenants.registry().all()) {
            if (tenants.withJdbc(tenant.database(), jdbc -> io.pgturso.target.TargetSchema.quiet(jdbc).needsRebuild(spec))) {
                return tenant.database();
            }
        }
        return null;
    }

    /** The position of the last transaction the tenant's database holds, or {@link Lsn#NONE}. */
    private static long held(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : Lsn.NONE;
            }
        }
    }

    /**
     * In the control database's transaction, once every part is in: the key index forgets the databases rows have left,
     * and a truncated table's entries but those of rows written after the truncate.
     */
    void forget(Connection control, TenantPlan plan) throws SQLException {
        keys.remove(control, plan.left());
        keys.replace(control, plan.truncated());
    }
}
