package io.pgturso.cdc.apply;

import io.pgturso.cdc.PgTransaction;
import io.pgturso.cdc.camel.PgCdcConstants;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.deadletter.DeadLetters;
import io.pgturso.pass.PassListener;
import io.pgturso.route.RouteNames;
import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.TableSpec;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code cdc-stream} route that need Java: map an exchange's transactions to target writes, send the
 * rows that cannot be mapped to the dead letters, write the rest with the slot's position in one target transaction.
 * Also the route's first position ({@link #getAsLong}): the one stored in the target.
 */
@UsedByRoutes("cdc: bean cdcApply, each public method a step; pgcdc startPosition=#cdcApply")
public class CdcApply implements LongSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(CdcApply.class);

    private final String slot;
    private final ChangeMapper mapper;
    private final ChangeWriter writer;
    private final CdcPositions positions;
    private final DeadLetters deadLetters;
    private final OpenDeadLetters openDeadLetters;
    private final PassListener listener;
    private final CdcTables tables;
    private final CdcMonitor monitor;
    private volatile long applied = Lsn.NONE;
    /** Routes the writes of tables with fan-out to their tenants' databases; null without tenant databases. */
    private TenantRouting routing;

    CdcApply(String slot, ChangeMapper mapper, ChangeWriter writer, CdcPositions positions, DeadLetters deadLetters,
            OpenDeadLetters openDeadLetters, PassListener listener, CdcTables tables, CdcMonitor monitor) {
        this.monitor = monitor;
        this.slot = slot;
        this.mapper = mapper;
        this.writer = writer;
        this.positions = positions;
        this.deadLetters = deadLetters;
        this.openDeadLetters = openDeadLetters;
        this.listener = listener;
        this.tables = tables;
    }

    /** Routes the writes of tables with fan-out to their tenants' databases. */
    void routing(TenantRouting routing) {
        this.routing = routing;
    }

    /** The position the target holds (where a stream starts): read from the target each time a stream starts. */
    @Override
    public long getAsLong() {
        applied = positions.load(slot);
        return applied;
    }

    /** The position of the last transaction the target holds. */
    public long applied() {
        return applied;
    }

    /** Maps the body (one transaction, a part of one, or a group) to the variable {@code changes}. */
    @SuppressWarnings("unchecked")
    public void changes(Exchange exchange) throws SQLException, InterruptedException {
        Object body = exchange.getMessage().getBody();
        List<PgTransaction> transactions = body instanceof PgTransaction t ? List.of(t) : (List<PgTransaction>) body;
        long lsn = exchange.getMessage().getHeader(PgCdcConstants.LSN, Lsn.NONE, Long.class);
        ChangeBatch batch = mapper.map(transactions, lsn, applied);
        if (routing != null) {
            routing.route(batch);
        }
        exchange.setVariable(RouteNames.CHANGES, batch);
    }

    /** Records the rows that could not be mapped (type mapping, row hook), each with its transaction's position. */
    public void deadLetters(Exchange exchange) {
        for (ChangeBatch.Rejected rejected : batch(exchange).getRejected()) {
            TableSpec spec = rejected.spec();
            String key = rejected.error().key().json();
            deadLetters.record(spec.targetTable(), rejected.error().key(), rejected.error().sourceJson(), "transform",
                    rejected.error().getMessage(), rejected.lsn(), rejected.tenantDatabase());
            openDeadLetters.opened(spec.targetTable(), key);
            LOG.warn("{}: row {} dead-lettered (transform, transaction at {}{}): {}", spec.routeId(), key,
                    Lsn.format(rejected.lsn()), rejected.tenantDatabase() == null ? "" : ", tenant database "
                    + rejected.tenantDatabase(), rejected.error().getMessage());
        }
    }

    /** Records a row the target (or its tenant database) refused while the batch was written, before the position is stored. */
    void refused(ChangeBatch.Rejected rejected) {
        TableSpec spec = rejected.spec();
        String key = rejected.error().key().json();
        deadLetters.record(spec.targetTable(), rejected.error().key(), rejected.error().sourceJson(), "write",
                rejected.error().getMessage(), rejected.lsn(), rejected.tenantDatabase());
        openDeadLetters.opened(spec.targetTable(), key);
        LOG.warn("{}: row {} dead-lettered (write, transaction at {}{}): {}", spec.routeId(), key, Lsn.format(rejected.lsn()),
                rejected.tenantDatabase() == null ? "" : ", tenant database " + rejected.tenantDatabase(),
                rejected.error().getMessage());
    }

    /** Writes the changes and the position in one target transaction; once it returns, the position may be confirmed. */
    public void write(Exchange exchange) throws SQLException {
        ChangeBatch batch = batch(exchange);
        writer.write(batch, slot);
        batch.written().forEach(openDeadLetters::closed);
        if (batch.lsn() != Lsn.NONE) {
            applied = batch.lsn();
        }
        report(batch);
    }

    private void report(ChangeBatch batch) {
        monitor.applied(batch);
        for (Map.Entry<String, long[]> table : batch.counts().entrySet()) {
            long[] n = table.getValue();
            listener.pageWritten(table.getKey(), n[ChangeBatch.UPSERTED], n[ChangeBatch.DEAD_LETTERED], n[ChangeBatch.DELETED]);
            if (n[ChangeBatch.SKIPPED] > 0) {
                listener.rowsSkipped(table.getKey(), n[ChangeBatch.SKIPPED]);
            }
        }
        if (batch.lsn() != Lsn.NONE && batch.commitTime() != null) {
            Instant upTo = batch.commitTime();
            for (TableSpec spec : tables.specs()) {
                listener.streamed(spec.routeId(), upTo, null);
            }
        }
    }

    private static ChangeBatch batch(Exchange exchange) {
        return exchange.getVariable(RouteNames.CHANGES, ChangeBatch.class);
    }
}
