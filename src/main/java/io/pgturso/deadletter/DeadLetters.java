package io.pgturso.deadletter;

import io.pgturso.sync.Page;
import io.pgturso.sync.RowRejectedException;
import io.pgturso.sync.RowTransformer;
import io.pgturso.sync.SyncFailures;
import io.pgturso.sync.TablePass;
import io.pgturso.sync.TableSync;
import io.pgturso.sync.TargetRow;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The route steps that send a failed row to the dead letters, so the rest of its page goes on. */
public class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterStore store;

    public DeadLetters(DeadLetterStore store) {
        this.store = store;
    }

    /** A row that could not be transformed (the caught {@link RowRejectedException} says why). */
    public void transformFailed(Exchange exchange) {
        TablePass pass = exchange.getVariable(TableSync.PASS, TablePass.class);
        RowRejectedException error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RowRejectedException.class);
        store.record(pass.getSpec().targetTable(), error.key(), error.sourceJson(), "transform", error.getMessage());
        exchange.getVariable(TableSync.PAGE, Page.class).rowRejected(error.key());
        LOG.warn("{}: row {} dead-lettered (transform): {}", pass.getSpec().routeId(), error.key(), error.getMessage());
        exchange.getMessage().setBody(null);
    }

    /** A row the target refused when written alone (the caught exception says why). */
    public void writeFailed(Exchange exchange) {
        TablePass pass = exchange.getVariable(TableSync.PASS, TablePass.class);
        TargetRow row = exchange.getMessage().getBody(TargetRow.class);
        String error = SyncFailures.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        store.record(pass.getSpec().targetTable(), row.key(), RowTransformer.sourceJson(pass.getSpec(), row.source()),
                "write", error);
        exchange.getVariable(TableSync.PAGE, Page.class).rowRejected(row.key());
        LOG.warn("{}: row {} dead-lettered (write): {}", pass.getSpec().routeId(), row.key(), error);
    }
}
