package io.pgturso.deadletter;

import io.pgturso.failure.SyncFailures;
import io.pgturso.pass.Page;
import io.pgturso.pass.TablePass;
import io.pgturso.pass.TenantPart;
import io.pgturso.pass.TransformResult;
import io.pgturso.route.RouteNames;
import io.pgturso.route.UsedByRoutes;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.RowRejectedException;
import io.pgturso.transform.RowTransformer;
import io.pgturso.transform.TargetRow;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The route steps that send a failed row to the dead letters, so the rest of its page goes on. */
@UsedByRoutes("table-sync, write-page: bean deadLetters, methods transformFailed and writeFailed")
public class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterStore store;
    private final DeadLetterEndpoint endpoint;

    public DeadLetters(DeadLetterStore store, DeadLetterEndpoint endpoint) {
        this.store = store;
        this.endpoint = endpoint;
    }

    /** The rows of a chunk (the body's {@link TransformResult}) that could not be transformed, each with why. */
    public void transformFailed(Exchange exchange) {
        TablePass pass = exchange.getVariable(RouteNames.PASS, TablePass.class);
        Page page = exchange.getVariable(RouteNames.PAGE, Page.class);
        for (RowRejectedException error : exchange.getMessage().getBody(TransformResult.class).getRejected()) {
            record(pass, page, error.key(), error.sourceJson(), "transform", error.getMessage(), null);
            LOG.warn("{}: row {} dead-lettered (transform): {}", pass.getSpec().routeId(), error.key(), error.getMessage());
        }
    }

    /** Keeps a failed row in the dead-letter table, and sends it to {@code sync.dead-letter.uri} when set. */
    public void record(String table, RowKey key, String rowJson, String stage, String error) {
        store.record(table, key, rowJson, stage, error);
        endpoint.send(table, key, rowJson, stage, error);
    }

    /** As above for a row of a table with fan-out: {@code tenantDatabase} names the tenant database that refused it. */
    public void record(String table, RowKey key, String rowJson, String stage, String error, String tenantDatabase) {
        store.record(table, key, rowJson, stage, error, tenantDatabase);
        endpoint.send(table, key, rowJson, stage, error);
    }

    /**
     * As above for a change of the change stream, with the WAL position where its transaction committed and, for a table
     * with fan-out, the tenant database it was for (else null).
     */
    public void record(String table, RowKey key, String rowJson, String stage, String error, long lsn, String tenantDatabase) {
        store.record(table, key, rowJson, stage, error, lsn, tenantDatabase);
        endpoint.send(table, key, rowJson, stage, error);
    }

    /**
     * As above for a row of a pass's page: noted by the pass, so that its earlier pages leave this dead letter open;
     * {@code tenantDatabase} names the database of a table with fan-out that refused it (else null).
     */
    private void record(TablePass pass, Page page, RowKey key, String rowJson, String stage, String error, String tenantDatabase) {
        String table = pass.getSpec().targetTable();
        pass.deadLettered(page, key, () -> store.record(table, key, rowJson, stage, error, tenantDatabase));
        endpoint.send(table, key, rowJson, stage, error);
    }

    /** A row the target refused when written alone (the caught exception says why). */
    public void writeFailed(Exchange exchange) {
        TablePass pass = exchange.getVariable(RouteNames.PASS, TablePass.class);
        TargetRow row = exchange.getMessage().getBody(TargetRow.class);
        String error = SyncFailures.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        TenantPart part = exchange.getVariable(RouteNames.TENANT_PART, TenantPart.class);
        record(pass, exchange.getVariable(RouteNames.PAGE, Page.class), row.key(),
                RowTransformer.sourceJson(pass.getSpec(), row.source()), "write", error, part == null ? null : part.getDatabase());
        LOG.warn("{}: row {} dead-lettered (write): {}", pass.getSpec().routeId(), row.key(), error);
    }
}
