package io.pgturso.app;

import io.pgturso.cdc.apply.CdcStream;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;

/**
 * In {@code run}: the change stream's checks with the others before any route starts (a second reader of the slot is
 * refused there, without a cluster), its start once Camel runs, its stop with Camel.
 */
final class CdcStart {
    private CdcStart() {
    }

    static void add(CamelContext camel, CdcStream cdc) throws Exception {
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitialized(CamelContext context) {
                cdc.check(true);
            }
        });
        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                // the stream starts once the routes run (its copies run the tables' routes)
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                cdc.start();
            }
        });
        camel.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                cdc.stop();
            }
        });
    }
}
