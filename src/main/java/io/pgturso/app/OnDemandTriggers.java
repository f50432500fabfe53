package io.pgturso.app;

import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Stands in for Quartz in the commands that run passes on demand (once, status, verify, plan, ...): the routes keep
 * their {@code quartz:} trigger, which never fires, and no scheduler, thread pool or JMX bean is made at start.
 */
final class OnDemandTriggers extends DefaultComponent {
    /** The scheme it replaces. */
    static final String SCHEME = "quartz";

    OnDemandTriggers() {
        // Camel would otherwise fill in Quartz's options, by the scheme's name, on this component
        setAutowiredEnabled(false);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        // the schedule's options (cron, stateful) are checked with the settings; here nothing fires
        parameters.clear();
        return new Trigger(uri, this);
    }

    /** A trigger that never fires: its route runs when a command calls it ({@code TableRunner}). */
    private static final class Trigger extends DefaultEndpoint {
        Trigger(String uri, DefaultComponent component) {
            super(uri, component);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("A schedule cannot be sent to: " + getEndpointUri());
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new DefaultConsumer(this, processor);
        }
    }
}
