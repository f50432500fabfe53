package io.pgturso.pass;

import io.pgturso.route.RouteNames;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.AsyncProcessorConverterHelper;

/** Runs one table's route once, now, in the calling thread, exactly as its schedule would (used by {@code once} and tests). */
public final class TableRunner {
    private TableRunner() {
    }

    /** Runs the pass; true when it finished without failure. */
    public static boolean runOnce(CamelContext camel, String routeId) {
        return run(camel, routeId).ok();
    }

    /** What a pass run by {@link #run} did: whether it succeeded, and its totals (null when it failed before reading). */
    public record Outcome(boolean ok, TablePass pass) {
    }

    /** Runs the pass and returns what it did. */
    public static Outcome run(CamelContext camel, String routeId) {
        return run(camel, routeId, java.util.Map.of());
    }

    /** As {@link #run(CamelContext, String)}, the exchange carrying {@code headers} (e.g. a snapshot copy's). */
    public static Outcome run(CamelContext camel, String routeId, java.util.Map<String, Object> headers) {
        Route route = camel.getRoute(routeId);
        if (route == null) {
            throw new IllegalArgumentException("No route '" + routeId + "'");
        }
        Exchange exchange = route.getEndpoint().createExchange();
        exchange.getExchangeExtension().setFromEndpoint(route.getEndpoint());
        exchange.getExchangeExtension().setFromRouteId(routeId);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(headers));
        try {
            AsyncProcessorConverterHelper.convert(route.getConsumer().getProcessor()).process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        return new Outcome(exchange.getException() == null && !exchange.getProperty(RouteNames.FAILED, false, Boolean.class),
                exchange.getVariable(RouteNames.PASS, TablePass.class));
    }
}
