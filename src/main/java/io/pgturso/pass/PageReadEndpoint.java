package io.pgturso.pass;

import io.pgturso.route.RouteNames;
import java.util.concurrent.Callable;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * A {@code source-sql:} step: runs the page read its bean step prepared ({@link RouteNames#PAGE_READ}, see
 * {@link PageReads}) when there is one, else camel-sql's query, so that the route's read step stays one step.
 */
final class PageReadEndpoint extends DefaultEndpoint implements DelegateEndpoint {
    private final Endpoint query;

    PageReadEndpoint(String uri, Component component, Endpoint query) {
        super(uri, component);
        this.query = query;
    }

    /** camel-sql's endpoint of the step, which runs its query. */
    @Override
    public Endpoint getEndpoint() {
        return query;
    }

    @Override
    public Producer createProducer() throws Exception {
        Producer queries = query.createProducer();
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                Callable<?> read = exchange.getVariable(RouteNames.PAGE_READ, Callable.class);
                if (read == null) {
                    queries.process(exchange);
                    return;
                }
                exchange.removeVariable(RouteNames.PAGE_READ);
                exchange.getMessage().setBody(read.call());
            }

            @Override
            protected void doStart() throws Exception {
                ServiceHelper.startService(queries);
            }

            @Override
            protected void doStop() throws Exception {
                ServiceHelper.stopService(queries);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        return query.createConsumer(processor);
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(query);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(query);
    }
}
