package io.pgturso.sync;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The split's per-row step: one Postgres row (the body) becomes a {@link TargetRow}; a processor, as it runs for every row. */
public class TransformRow implements Processor {
    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        TablePass pass = exchange.getVariable(TableSync.PASS, TablePass.class);
        exchange.getMessage().setBody(RowTransformer.transform(pass.getSpec(), exchange.getMessage().getBody(Map.class)));
    }
}
