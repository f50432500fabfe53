package io.pgturso.ops;

import io.pgturso.failure.SyncFailures;
import io.pgturso.pass.TablePass;
import io.pgturso.route.RouteNames;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts the routes' {@code source-sql:} and {@code target-sql:} statements by database and outcome, and pass retries,
 * into {@link SyncMetrics}.
 */
public class StatementEvents extends EventNotifierSupport {
    private final SyncMetrics metrics;
    private final DataSource target;

    public StatementEvents(SyncMetrics metrics, DataSource target) {
        this.metrics = metrics;
        this.target = target;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSentEvent sent && sent.getEndpoint() instanceof SqlEndpoint sql) {
            Exchange exchange = sent.getExchange();
            String database = sql.getDataSource() == target ? "target"
                    : sql.getEndpointUri().startsWith(RouteNames.TENANT_SQL + ":") ? "tenant" : "source";
            Exception error = exchange.getException();
            metrics.statement(database, error == null ? null : kind(error));
        } else if (event instanceof CamelEvent.ExchangeRedeliveryEvent redelivery) {
            TablePass pass = redelivery.getExchange().getVariable(RouteNames.PASS, TablePass.class);
            metrics.passRetried(pass == null ? redelivery.getExchange().getFromRouteId() : pass.getSpec().routeId());
        }
    }

    /** {@code outage} (retried), {@code row} (the row is dead-lettered) or {@code other}. */
    static String kind(Throwable error) {
        if (SyncFailures.isTransient(error)) {
            return "outage";
        }
        return SyncFailures.isRowProblem(error) ? "row" : "other";
    }
}
