package io.pgturso.cdc.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.cdc.PgTransaction;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.testing.LogicalPostgres;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stream written as a YAML route, its options as endpoint parameters, the way routes/ would show it. */
@Timeout(90)
class PgCdcYamlRouteTest {

    @Test
    void a_yaml_route_reads_the_stream_with_its_parameters() throws Exception {
        try (CdcRouteHarness cdc = new CdcRouteHarness(LogicalPostgres.get(), "CREATE TABLE orders (id int PRIMARY KEY)");
                CamelContext camel = new DefaultCamelContext()) {
            List<Object> bodies = new CopyOnWriteArrayList<>();
            camel.getRegistry().bind("source", cdc.connections);
            camel.getRegistry().bind("collect", (Processor) (Exchange e) -> bodies.add(e.getIn().getBody()));
            String yaml = """
                    - route:
                        id: change-stream
                        from:
                          uri: pgcdc:%s
                          parameters:
                            publication: sync_pub
                            connections: "#source"
                            startLsn: "%s"
                            maxTransactionChanges: 2
                            statusInterval: 300
                          steps:
                            - process:
                                ref: collect
                    """.formatted(cdc.slot, Lsn.format(cdc.consistentLsn));
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("change-stream.camel.yaml", yaml));
            camel.start();
            cdc.pg.execute("INSERT INTO orders SELECT generate_series(1, 3)");
            await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == 2);
            assertThat(bodies).extracting(b -> ((PgTransaction) b).changes().size()).containsExactly(2, 1);
        }
    }
}
