package io.pgturso.transform;

import io.pgturso.route.RouteNames;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import io.pgturso.types.Doubles;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Passes one row through a table's hook route (its {@code transform} endpoint) in-process: the body is a map of target
 * column name to value; the hook changes, removes or adds entries, or skips the row ({@code stop}, or a null body).
 */
public class RowHook {
    private final CamelContext camel;
    private final Map<String, Producer> producers = new ConcurrentHashMap<>();

    public RowHook(CamelContext camel) {
        this.camel = camel;
    }

    /**
     * The row as the hook left it, or null when the hook skipped it; throws what the hook threw. A header named like one
     * of {@code columns} sets that column (the cheap, idiomatic {@code setHeader} step), over the body's entry.
     */
    public Map<String, Object> apply(TableSpec spec, Map<String, Object> row, List<ColumnSpec> columns) throws Exception {
        String uri = spec.rules().changes().transform();
        Producer producer = producers.computeIfAbsent(uri, this::producer);
        Exchange exchange = producer.getEndpoint().createExchange();
        exchange.getMessage().setBody(row);
        exchange.getMessage().setHeader(RouteNames.HOOK_TABLE_HEADER, spec.targetTable());
        producer.process(exchange);
        if (exchange.getException() instanceof DirectConsumerNotAvailableException e) {
            throw new HookMissingException("Table '" + spec.routeId() + "': no route consumes its transform endpoint " + uri
                    + " (add a route 'from: " + uri + "' in routes/, see routes/examples/)", e);
        }
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        Object body = exchange.getMessage().getBody();
        if (exchange.isRouteStop() || body == null || body instanceof Map<?, ?> m && m.isEmpty()) {
            return null;
        }
        if (!(body instanceof Map)) {
            throw new IllegalArgumentException("the hook left a " + body.getClass().getSimpleName()
                    + " as the body; it must leave the row's Map (or null, or stop, to skip the row)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) body;
        Map<String, Object> headers = exchange.getMessage().getHeaders();
        if (headers.size() > 1) {
            for (ColumnSpec c : columns) {
                if (headers.containsKey(c.target())) {
                    result.put(c.target(), headers.get(c.target()));
                }
            }
        }
        return result;
    }

    /** The target row from the hook's map: values in target column order, converted to what SQLite stores. */
    public static TargetRow targetRow(TableSpec spec, Map<String, Object> before, Map<String, Object> after,
            List<ColumnSpec> targetColumns, Map<String, Object> source) {
        for (ColumnSpec k : spec.key()) {
            if (!Objects.equals(before.get(k.target()), after.get(k.target()))) {
                throw new IllegalArgumentException("the hook changed key column '" + k.target() + "'; key columns must stay as read");
            }
        }
        List<Object> values = new ArrayList<>(targetColumns.size());
        for (ColumnSpec c : targetColumns) {
            try {
                Object value = RowTransformer.checkSize(stored(after.get(c.target())), spec.maxValueBytes());
                if (spec.exactDoubles() && c.kind().isReal()) {
                    Doubles.addExact(values, value);
                } else {
                    values.add(value);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("column " + c.target() + " set by the hook: " + e.getMessage(), e);
            }
        }
        return new TargetRow(spec, values, source, false);
    }

    /** A value a hook set, as SQLite stores it: integers, finite reals, text, bytes; booleans as 0/1; anything else as text. */
    private static Object stored(Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof byte[]) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("NaN cannot be stored: SQLite turns it into NULL");
            }
            return d;
        }
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (value instanceof BigDecimal || value instanceof BigInteger) {
            return value.toString();
        }
        return value.toString();
    }

    private Producer producer(String uri) {
        try {
            Endpoint endpoint = camel.getEndpoint(uri);
            Producer producer = endpoint.createProducer();
            ServiceHelper.startService(producer);
            return producer;
        } catch (Exception e) {
            throw new HookMissingException("Cannot reach transform endpoint " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The hook endpoint does not exist or has no consumer: a configuration problem that fails the pass, not a row. */
    public static class HookMissingException extends RuntimeException {
        HookMissingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
