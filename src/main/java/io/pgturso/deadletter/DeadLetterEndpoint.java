package io.pgturso.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgturso.route.RouteNames;
import io.pgturso.transform.RowKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.support.EndpointHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each dead letter to the route {@code direct:dead-letter} (routes/dead-letter-endpoint.camel.yaml), which sends
 * it as JSON to the endpoint in {@code sync.dead-letter.uri}; off when that setting is empty. The table in the target
 * stays the durable record: a failure to send is logged and the sync goes on. A {@code file:} endpoint writes files
 * only their owner may read (chmod 600, folders it creates 700), unless the URI sets {@code chmod} itself.
 */
public class DeadLetterEndpoint {
    /** The setting naming the endpoint. */
    public static final String SETTING = io.pgturso.config.Settings.DEAD_LETTER_URI.name();
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterEndpoint.class);

    /** Made on the first dead letter sent: a mapper takes a tenth of a second of a command's start to make. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final CamelContext camel;
    private final boolean enabled;
    private ProducerTemplate producer;

    public DeadLetterEndpoint(CamelContext camel, String uri) {
        this.camel = camel;
        this.enabled = uri != null && !uri.isBlank();
        if (enabled && uri.startsWith("file:")) {
            camel.getCamelContextExtension().registerEndpointCallback((key, endpoint) -> ownerOnly(uri, endpoint));
        }
    }

    /** Files of dead letters hold rows: readable by their owner only, as the target file is, unless the URI sets chmod. */
    private Endpoint ownerOnly(String uri, Endpoint endpoint) {
        if (endpoint instanceof FileEndpoint file && file.getChmod() == null
                && EndpointHelper.matchEndpoint(camel, endpoint.getEndpointUri(), uri)) {
            file.setChmod("600");
            if (file.getChmodDirectory() == null) {
                file.setChmodDirectory("700");
            }
        }
        return endpoint;
    }

    /** Sends one dead letter: {@code {"table", "key", "stage", "error", "row", "failedAt"}}, headers {@code table} and {@code stage}. */
    public void send(String table, RowKey key, String rowJson, String stage, String error) {
        if (!enabled) {
            return;
        }
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("table", table);
        letter.put("key", key.values());
        letter.put("stage", stage);
        letter.put("error", error);
        letter.put("row", parsed(rowJson));
        letter.put("failedAt", Instant.now().toString());
        try {
            Exchange sent = producer().send(RouteNames.DEAD_LETTER, e -> {
                e.getMessage().setBody(letter);
                e.getMessage().setHeader(RouteNames.DEAD_LETTER_TABLE_HEADER, table);
                e.getMessage().setHeader(RouteNames.DEAD_LETTER_STAGE_HEADER, stage);
            });
            if (sent.getException() != null) {
                throw sent.getException();
            }
        } catch (Exception e) {
            LOG.warn("{}: dead letter {} is in the dead-letter table but could not be sent to {}: {}", table, key, SETTING,
                    e.getMessage());
        }
    }

    private static Object parsed(String rowJson) {
        if (rowJson == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(rowJson);
        } catch (JsonProcessingException e) {
            return rowJson;
        }
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = camel.createProducerTemplate();
        }
        return producer;
    }
}
