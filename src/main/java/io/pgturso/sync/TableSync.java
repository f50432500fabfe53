package io.pgturso.sync;

import io.pgturso.deadletter.DeadLetterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.SqlConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the {@code table-sync} route that need Java: one method per step, in route order. */
public class TableSync {
    /** Exchange variable holding the {@link TablePass}. */
    public static final String PASS = "pass";
    /** Exchange variable holding the page's soft-deleted rows. */
    public static final String PAGE_DELETES = "pageDeletes";
    /** Exchange variable holding the page's rows to upsert. */
    public static final String PAGE_UPSERTS = "pageUpserts";
    private static final Logger LOG = LoggerFactory.getLogger("io.pgturso.sync");

    private final TableRegistry tables;
    private final TargetSchema schema;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final Horizon horizon;

    public TableSync(TableRegistry tables, TargetSchema schema, CheckpointStore checkpoints, DeadLetterStore deadLetters,
            Horizon horizon) {
        this.tables = tables;
        this.horizon = horizon;
        this.schema = schema;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
    }

    /** Reads the catalog, brings the target table up to date and loads the checkpoint. */
    public void startPass(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        TableConfig config = tables.config(routeId)
                .orElseThrow(() -> new IllegalStateException("Route '" + routeId + "' is not a table-sync route"));
        TableSpec spec = tables.spec(config);
        schema.ensure(spec);
        Checkpoint checkpoint = checkpoints.load(spec.targetTable());
        exchange.setVariable(PASS, new TablePass(spec, checkpoint.position(), deadLetters.count(spec.targetTable()),
                horizon.current(spec)));
    }

    /** Puts the next page's keyset query in {@code CamelSqlQuery} and its parameters in the body. */
    public void nextPage(Exchange exchange) {
        TablePass pass = pass(exchange);
        pass.begin(TablePass.Phase.READ);
        exchange.getMessage().setHeader(SqlConstants.SQL_QUERY, pass.nextPageSql());
        exchange.getMessage().setBody(pass.nextPageParameters());
    }

    /** Notes the page just read (size, last position). */
    @SuppressWarnings("unchecked")
    public void pageRead(Exchange exchange) {
        pass(exchange).pageRead(exchange.getMessage().getBody(List.class));
        pass(exchange).begin(TablePass.Phase.TRANSFORM);
    }

    /** Puts the table's upsert in {@code CamelSqlQuery}; the body becomes the rows to upsert, soft-deleted rows go to {@link #deletes}. */
    @SuppressWarnings("unchecked")
    public void upsert(Exchange exchange) {
        List<TargetRow> rows = exchange.getMessage().getBody(List.class);
        List<TargetRow> upserts = new ArrayList<>(rows.size());
        List<TargetRow> deletes = new ArrayList<>();
        for (TargetRow row : rows) {
            (row.deleted() ? deletes : upserts).add(row);
        }
        exchange.setVariable(PAGE_DELETES, deletes);
        exchange.setVariable(PAGE_UPSERTS, upserts);
        pass(exchange).begin(TablePass.Phase.WRITE);
        exchange.getMessage().setHeader(SqlConstants.SQL_QUERY, TargetSql.upsert(pass(exchange).getSpec()));
        exchange.getMessage().setBody(upserts);
    }

    /** Puts the table's delete in {@code CamelSqlQuery} and the page's soft-deleted rows in the body. */
    public void deletes(Exchange exchange) {
        exchange.getMessage().setHeader(SqlConstants.SQL_QUERY, TargetSql.delete(pass(exchange).getSpec()));
        exchange.getMessage().setBody(exchange.getVariable(PAGE_DELETES));
    }

    /** Moves the checkpoint past the page, now written or dead-lettered, and clears dead letters of rows now written. */
    @SuppressWarnings("unchecked")
    public void pageDone(Exchange exchange) {
        TablePass pass = pass(exchange);
        List<TargetRow> rows = new ArrayList<>(exchange.getVariable(PAGE_UPSERTS, List.class));
        rows.addAll(exchange.getVariable(PAGE_DELETES, List.class));
        pass.endWrite();
        long[] counts = pass.pageDone();
        TableSpec spec = pass.getSpec();
        if (pass.openDeadLetters() > 0) {
            List<RowKey> written = new ArrayList<>();
            for (TargetRow row : rows) {
                if (!pass.pageRejected().contains(row.key())) {
                    written.add(row.key());
                }
            }
            deadLetters.deleteAll(spec.targetTable(), written);
        }
        boolean fullPassDone = spec.mode() == SyncMode.FULL && !pass.isMore();
        checkpoints.save(spec.targetTable(), fullPassDone ? null : pass.position(), counts[0], counts[1]);
        exchange.getMessage().removeHeader(SqlConstants.SQL_QUERY);
    }

    /** Logs the pass's one-line summary. */
    public void endPass(Exchange exchange) {
        TablePass pass = pass(exchange);
        LOG.info("{}: {} rows written, {} dead-lettered, {} pages in {} ms ({}), checkpoint {}", pass.getSpec().routeId(),
                pass.written(), pass.deadLettered(), pass.pages(), pass.elapsedMillis(), pass.phases(), pass.position());
    }

    /** Logs a failed pass; the checkpoint stays after the last page fully handled. */
    public void passFailed(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        TablePass pass = exchange.getVariable(PASS, TablePass.class);
        exchange.setProperty(SyncFailures.FAILED, true);
        String route = exchange.getFromRouteId();
        if (pass == null) {
            LOG.error("{}: pass failed before reading any row: {}", route, SyncFailures.describe(error));
        } else {
            LOG.error("{}: pass failed after {} rows written, {} dead-lettered; checkpoint stays at {}: {}", route,
                    pass.written(), pass.deadLettered(), pass.position(), SyncFailures.describe(error));
        }
    }

    private static TablePass pass(Exchange exchange) {
        return exchange.getVariable(PASS, TablePass.class);
    }
}
