package io.pgturso.pass;

import static io.pgturso.route.RouteNames.FAILED;
import static io.pgturso.route.RouteNames.PAGE;
import static io.pgturso.route.RouteNames.PASS;
import static io.pgturso.route.RouteNames.WRITER_STARTED;

import io.pgturso.failure.SyncFailures;
import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.Horizon;
import io.pgturso.source.PendingRows;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import io.pgturso.target.Checkpoint;
import io.pgturso.target.CheckpointStore;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.target.FullPasses;
import io.pgturso.target.RowGroup;
import io.pgturso.target.TargetKind;
import io.pgturso.target.TargetSchema;
import io.pgturso.target.TargetSql;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.TargetRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the {@code table-sync} and {@code write-page} routes that need Java: one method per step, in route order. */
@UsedByRoutes("table-sync, write-page, sync-error-handling: bean tableSync, each public method a step")
public class TableSync {
    private static final Logger LOG = LoggerFactory.getLogger(TableSync.class);

    private final TableRegistry tables;
    private final TargetSchema schema;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final Horizon horizon;
    private final PendingRows pendingRows;
    private final PassProgress progress;
    private final PassListener listener;
    private final TargetKind target;
    private final int maxInFlight;
    private FullPasses fullPasses;

    /** {@code maxInFlight}: pages written at once ({@link TargetKind#pagesInFlight}). */
    public TableSync(TableRegistry tables, TargetSchema schema, CheckpointStore checkpoints, DeadLetterStore deadLetters,
            Horizon horizon, PendingRows pendingRows, PassProgress progress, PassListener listener, TargetKind target,
            int maxInFlight) {
        this.target = target;
        this.maxInFlight = maxInFlight;
        this.tables = tables;
        this.pendingRows = pendingRows;
        this.progress = progress;
        this.listener = listener;
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
        String onlyTenant = exchange.getMessage().getHeader(io.pgturso.route.RouteNames.RESYNC_TENANT_HEADER, String.class);
        if (onlyTenant != null && spec.fansOut()) {
            // resync of one tenant: its database was prepared by the command; health and the checkpoint are the passes'
            exchange.setVariable(PASS, TablePass.tenantResync(spec, onlyTenant, deadLetters.count(spec.targetTable())));
            return;
        }
        if (!spec.fansOut()) {
            // a table with fan-out is made in each tenant's database as its rows come (TenantPages)
            schema.ensure(spec);
        }
        Checkpoint checkpoint = checkpoints.load(spec.targetTable());
        List<String> position = checkpoint.position();
        if (!checkpoint.fits(spec)) {
            LOG.warn("{}: the checkpoint was made for [{}], the table is now [{}]: starting over, every row is copied again "
                    + "(the guarded upsert keeps newer versions; nothing is deleted)", routeId, checkpoint.madeFor(),
                    CheckpointStore.identity(spec));
            position = null;
        }
        TablePass pass = new TablePass(spec, position, deadLetters.count(spec.targetTable()), horizon.current(spec));
        pass.pendingAtStart(pendingRows.count(spec, position));
        if (pass.filtersChangingRows()) {
            pass.changedAfter(pendingRows.highestCursor(spec));
        }
        exchange.setVariable(PASS, pass);
        listener.passStarted(routeId, pass.pendingAtStart(), pass.openDeadLetters(), savedAt(checkpoint));
    }

    /** Sets the next page's keyset query as the statement of the read step and its parameters as the body. */
    public void nextPage(Exchange exchange) {
        TablePass pass = pass(exchange);
        pass.begin(TablePass.Phase.READ);
        PositionalParameters.use(exchange, pass.nextPageSql());
        exchange.getMessage().setBody(pass.nextPageParameters());
    }

    /** Notes the page just read (size, last position) as the variable {@code page}. */
    @SuppressWarnings("unchecked")
    public void pageRead(Exchange exchange) {
        TablePass pass = pass(exchange);
        exchange.setVariable(PAGE, pass.pageRead(exchange.getMessage().getBody(List.class)));
        pass.begin(TablePass.Phase.TRANSFORM);
    }

    /** Sorts the transformed rows (the body) into rows to upsert and soft-deleted rows to delete; counts skipped rows. */
    public void rowsToWrite(Exchange exchange) {
        // an empty page leaves the split nothing to gather
        TransformResult transformed = exchange.getMessage().getBody() instanceof TransformResult t ? t : new TransformResult(0);
        page(exchange).skipped(transformed.skipped());
        List<TargetRow> rows = transformed.rows();
        List<TargetRow> upserts = new ArrayList<>(rows.size());
        List<TargetRow> deletes = new ArrayList<>();
        for (TargetRow row : rows) {
            (row.deleted() ? deletes : upserts).add(row);
        }
        page(exchange).rows(upserts, deletes);
        pass(exchange).endTransform();
    }

    /** Where full-mode tables record their finished passes (for status and plan). */
    public void recordFullPasses(FullPasses passes) {
        this.fullPasses = passes;
    }

    /**
     * Waits while {@code sync.target.max-in-flight} pages are being written (the oldest first), then hands this page
     * to the writer; a failed page ends the pass. A page that deletes a row an earlier page still being written
     * upserts (read again in this pass, changed meanwhile) first waits for those pages: the older version must not
     * land after the delete.
     */
    public void handOver(Exchange exchange) {
        TablePass pass = pass(exchange);
        Set<RowKey> deletes = new HashSet<>();
        page(exchange).getDeletes().forEach(row -> deletes.add(row.key()));
        // fan-out: a row in two pages (its tenant may have changed) is written page after page, or its key index would race
        Set<RowKey> rows = new HashSet<>();
        if (pass.getSpec().fansOut() && maxInFlight > 1) {
            rows.addAll(deletes);
            page(exchange).getUpserts().forEach(row -> rows.add(row.key()));
        }
        while (pass.inFlight().size() >= maxInFlight || !deletes.isEmpty() && pass.inFlight().upsertsAnyOf(deletes)
                || !rows.isEmpty() && pass.inFlight().touchesAnyOf(rows)) {
            awaitOldest(pass);
        }
        progress.maybeLog(pass);
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

    /**
     * Writer: sets the table's upsert as the statement of the write step and the page's rows to upsert in the body, as
     * many rows per statement as the target's kind binds ({@link TargetKind#rowsPerStatement}).
     */
    public void upsert(Exchange exchange) {
        writerStarted(exchange);
        TableSpec spec = pass(exchange).getSpec();
        List<TargetRow> rows = page(exchange).getUpserts();
        int perStatement = target.rowsPerStatement(spec.targetColumns().size());
        if (rows.size() > 1 && perStatement > 1) {
            PositionalParameters.use(exchange, TargetSql.upsert(spec, perStatement));
            exchange.getMessage().setBody(RowGroup.of(rows, perStatement));
        } else {
            upsertRowByRow(exchange);
        }
    }

    /** Writer: the upsert of one row and the page's rows to upsert, bound one by one (to find the rows the target refuses). */
    public void upsertRowByRow(Exchange exchange) {
        PositionalParameters.use(exchange, TargetSql.upsert(pass(exchange).getSpec()));
        exchange.getMessage().setBody(page(exchange).getUpserts());
    }

    /** Marks the exchange as the page writer's, from its first step on (a failure then fails the page, not the pass). */
    public static void writerStarted(Exchange exchange) {
        if (exchange.getVariable(WRITER_STARTED) == null) {
            exchange.setVariable(WRITER_STARTED, System.nanoTime());
        }
    }

    /** Writer: sets the table's delete as the statement of the delete step and the page's soft-deleted rows as the body. */
    public void deletes(Exchange exchange) {
        PositionalParameters.use(exchange, TargetSql.delete(pass(exchange).getSpec()));
        exchange.getMessage().setBody(page(exchange).getDeletes());
    }

    /** Writer: the page is written or dead-lettered, so the checkpoint moves past it; dead letters of rows now written close. */
    public void pageDone(Exchange exchange) {
        TablePass pass = pass(exchange);
        Page page = page(exchange);
        TableSpec spec = pass.getSpec();
        if (pass.deadLetters().mayHaveAny()) {
            List<RowKey> written = new ArrayList<>();
            for (List<TargetRow> rows : List.of(page.getUpserts(), page.getDeletes())) {
                for (TargetRow row : rows) {
                    if (!page.rejected().contains(row.key())) {
                        written.add(row.key());
                    }
                }
            }
            pass.deadLetters().close(page, written, keys -> deadLetters.deleteAll(spec.targetTable(), keys));
        }
        pass.addWriteTime(System.nanoTime() - exchange.getVariable(WRITER_STARTED, Long.class));
        // pages may be written at once, but the checkpoint moves in page order: past the pages written so far, in one save
        pass.inFlight().written(page, done -> {
            long rejected = 0;
            long written = 0;
            boolean fullPassDone = false;
            List<String> position = pass.position();
            for (Page p : done) {
                written += p.rowsWritten();
                rejected += p.rejected().size();
                fullPassDone |= spec.mode().readsWholeTable() && p.endsPass();
                position = p.position() != null && !p.nullCursorSweep() ? p.position() : position;
            }
            // the pass's totals move only once the checkpoint is saved: a failed save is tried again by the writer
            if (pass.onlyTenant() == null) {
                checkpoints.save(spec.targetTable(), fullPassDone ? null : position, written, rejected, CheckpointStore.identity(spec));
            }
            for (Page p : done) {
                long[] counts = pass.pageDone(p);
                long deleted = p.getDeletes().stream().filter(row -> !p.rejected().contains(row.key())).count();
                listener.pageWritten(spec.routeId(), counts[0] - deleted, counts[1], deleted);
                if (p.skipped() > 0) {
                    listener.rowsSkipped(spec.routeId(), p.skipped());
                }
            }
        });
    }

    /** Logs the pass's one-line summary (at debug level when it copied nothing). */
    public void endPass(Exchange exchange) {
        TablePass pass = pass(exchange);
        // a pass that found nothing to copy is not news: health and metrics show it ran
        boolean idle = pass.written() == 0 && pass.deadLettered() == 0 && pass.skipped() == 0;
        LOG.atLevel(idle ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log(
                "{}: {} rows written, {} skipped, {} dead-lettered, {} pages in {} ms ({}), checkpoint {}", pass.getSpec().routeId(),
                pass.written(), pass.skipped(), pass.deadLettered(), pass.pages(), pass.elapsedMillis(), pass.phases(),
                pass.getSpec().mode().readsWholeTable() ? "none (" + (pass.onlyTenant() != null ? "resync of tenant "
                        + pass.onlyTenant() : pass.getSpec().mode() == SyncMode.FULL ? "full mode"
                        : "copy from the change stream's snapshot") + ": " + pass.unchanged() + " rows unchanged, "
                        + pass.goneDeleted() + " deleted as gone from Postgres)" : pass.position());
        if (pass.onlyTenant() != null) {
            return;
        }
        if (fullPasses != null && pass.getSpec().mode() == SyncMode.FULL) {
            long read = pass.written() - pass.goneDeleted() + pass.unchanged() + pass.deadLettered() + pass.skipped();
            fullPasses.record(pass.getSpec().targetTable(), read, pass.written());
        }
        listener.passEnded(pass.getSpec().routeId(), pass.started(), Duration.ofMillis(pass.elapsedMillis()), null);
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
        exchange.setProperty(FAILED, true);
        String route = exchange.getFromRouteId();
        if (pass == null) {
            LOG.error("{}: pass failed before reading any row: {}", route, SyncFailures.describe(error));
            listener.passEnded(route, Instant.now(), Duration.ZERO, SyncFailures.describe(error));
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
                pass.written(), pass.deadLettered(), pass.onlyTenant() != null ? "(resync of tenant " + pass.onlyTenant()
                        + " moves none)" : pass.position() == null ? "the start (the next pass copies every row)" : pass.position(),
                SyncFailures.describe(error));
        if (pass.onlyTenant() == null) {
            listener.passEnded(route, pass.started(), Duration.ofMillis(pass.elapsedMillis()), SyncFailures.describe(error));
        }
    }

    /** When the checkpoint was last saved, or null when never (or in a form this version does not read). */
    private static Instant savedAt(Checkpoint checkpoint) {
        try {
            return checkpoint.updatedAt() == null ? null : Instant.parse(checkpoint.updatedAt());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static TablePass pass(Exchange exchange) {
        return exchange.getVariable(PASS, TablePass.class);
    }

    private static Page page(Exchange exchange) {
        return exchange.getVariable(PAGE, Page.class);
    }
}
