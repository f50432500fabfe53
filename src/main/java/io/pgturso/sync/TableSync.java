package io.pgturso.sync;

import io.pgturso.deadletter.DeadLetterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.SqlConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the {@code table-sync} and {@code write-page} routes that need Java: one method per step, in route order. */
public class TableSync {
    /** Exchange variable holding the {@link TablePass}. */
    public static final String PASS = "pass";
    /** Exchange variable holding the current {@link Page}. */
    public static final String PAGE = "page";
    /** Exchange variable marking an exchange of the page writer. */
    private static final String WRITER_STARTED = "writerStarted";
    private static final Logger LOG = LoggerFactory.getLogger("io.pgturso.sync");

    private final TableRegistry tables;
    private final TargetSchema schema;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final Horizon horizon;
    private volatile int maxInFlight = 1;

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

    /** Notes the page just read (size, last position) as the variable {@code page}. */
    @SuppressWarnings("unchecked")
    public void pageRead(Exchange exchange) {
        TablePass pass = pass(exchange);
        exchange.setVariable(PAGE, pass.pageRead(exchange.getMessage().getBody(List.class)));
        // the query is done with: the split's per-row copies need not carry it
        exchange.getMessage().removeHeader(SqlConstants.SQL_QUERY);
        pass.begin(TablePass.Phase.TRANSFORM);
    }

    /** Sorts the transformed rows (the body) into rows to upsert and soft-deleted rows to delete. */
    @SuppressWarnings("unchecked")
    public void rowsToWrite(Exchange exchange) {
        List<TargetRow> rows = exchange.getMessage().getBody(List.class);
        List<TargetRow> upserts = new ArrayList<>(rows.size());
        List<TargetRow> deletes = new ArrayList<>();
        for (TargetRow row : rows) {
            (row.deleted() ? deletes : upserts).add(row);
        }
        page(exchange).rows(upserts, deletes);
        pass(exchange).endTransform();
    }

    /** Pages written at once at most (sync.target.max-in-flight; 1 for a file target). */
    public void setMaxInFlight(int pages) {
        this.maxInFlight = pages;
    }

    /**
     * Waits while {@code sync.target.max-in-flight} pages are being written (the oldest first), then hands this page
     * to the writer; a failed page ends the pass.
     */
    public void handOver(Exchange exchange) {
        TablePass pass = pass(exchange);
        while (pass.inFlight().size() >= maxInFlight) {
            awaitOldest(pass);
        }
        pass.inFlight().handOver(page(exchange));
    }

    /** Waits until every page handed over is written and its checkpoint saved; a failure ends the pass. */
    public void awaitWritten(Exchange exchange) {
        TablePass pass = pass(exchange);
        while (pass.inFlight().size() > 0) {
            awaitOldest(pass);
        }
    }

    private static void awaitOldest(TablePass pass) {
        Page oldest = pass.inFlight().takeOldest();
        try {
            oldest.written().get();
        } catch (ExecutionException e) {
            throw new PageWriteFailedException("writing a page failed: " + SyncFailures.describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PageWriteFailedException("interrupted while a page was written");
        }
    }

    /** Writer: puts the table's upsert in {@code CamelSqlQuery} and the page's rows to upsert in the body. */
    public void upsert(Exchange exchange) {
        exchange.setVariable(WRITER_STARTED, System.nanoTime());
        exchange.getMessage().setHeader(SqlConstants.SQL_QUERY, TargetSql.upsert(pass(exchange).getSpec()));
        exchange.getMessage().setBody(page(exchange).getUpserts());
    }

    /** Writer: puts the table's delete in {@code CamelSqlQuery} and the page's soft-deleted rows in the body. */
    public void deletes(Exchange exchange) {
        exchange.getMessage().setHeader(SqlConstants.SQL_QUERY, TargetSql.delete(pass(exchange).getSpec()));
        exchange.getMessage().setBody(page(exchange).getDeletes());
    }

    /** Writer: the page is written or dead-lettered, so the checkpoint moves past it; dead letters of rows now written close. */
    public void pageDone(Exchange exchange) {
        TablePass pass = pass(exchange);
        Page page = page(exchange);
        TableSpec spec = pass.getSpec();
        if (pass.openDeadLetters() > 0) {
            List<RowKey> written = new ArrayList<>();
            for (List<TargetRow> rows : List.of(page.getUpserts(), page.getDeletes())) {
                for (TargetRow row : rows) {
                    if (!page.rejected().contains(row.key())) {
                        written.add(row.key());
                    }
                }
            }
            deadLetters.deleteAll(spec.targetTable(), written);
        }
        pass.addWriteTime(System.nanoTime() - exchange.getVariable(WRITER_STARTED, Long.class));
        // pages may be written at once, but the checkpoint moves in page order: past the pages written so far, in one save
        pass.inFlight().written(page, done -> {
            long rejected = 0;
            long rows = 0;
            boolean fullPassDone = false;
            List<String> position = pass.position();
            for (Page p : done) {
                rows += p.size();
                rejected += p.rejected().size();
                fullPassDone |= spec.mode() == SyncMode.FULL && p.endsPass();
                position = p.position() != null && !p.nullCursorSweep() ? p.position() : position;
            }
            // the pass's totals move only once the checkpoint is saved: a failed save is tried again by the writer
            checkpoints.save(spec.targetTable(), fullPassDone ? null : position, rows - rejected, rejected);
            done.forEach(pass::pageDone);
        });
    }

    /** Logs the pass's one-line summary. */
    public void endPass(Exchange exchange) {
        TablePass pass = pass(exchange);
        LOG.info("{}: {} rows written, {} dead-lettered, {} pages in {} ms ({}), checkpoint {}", pass.getSpec().routeId(),
                pass.written(), pass.deadLettered(), pass.pages(), pass.elapsedMillis(), pass.phases(), pass.position());
    }

    /**
     * A failed pass: logs it (the checkpoint stays after the last page fully handled). On the writer, hands the failure
     * to the pass instead, which ends when it next waits for the writer.
     */
    public void passFailed(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        TablePass pass = exchange.getVariable(PASS, TablePass.class);
        if (exchange.getVariable(WRITER_STARTED) != null) {
            pass.inFlight().failed(page(exchange), error == null ? new IllegalStateException("page not written") : error);
            return;
        }
        exchange.setProperty(SyncFailures.FAILED, true);
        String route = exchange.getFromRouteId();
        if (pass == null) {
            LOG.error("{}: pass failed before reading any row: {}", route, SyncFailures.describe(error));
            return;
        }
        while (pass.inFlight().size() > 0) {
            try {
                awaitOldest(pass);
            } catch (PageWriteFailedException ignored) {
                // the pass has failed already; waiting only keeps the writers from outliving it
            }
        }
        LOG.error("{}: pass failed after {} rows written, {} dead-lettered; checkpoint stays at {}: {}", route,
                pass.written(), pass.deadLettered(), pass.position(), SyncFailures.describe(error));
    }

    private static TablePass pass(Exchange exchange) {
        return exchange.getVariable(PASS, TablePass.class);
    }

    private static Page page(Exchange exchange) {
        return exchange.getVariable(PAGE, Page.class);
    }
}
