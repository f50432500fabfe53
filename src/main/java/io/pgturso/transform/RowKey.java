package io.pgturso.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgturso.source.ChangeQuery;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A row's primary key as Postgres text values, stored as JSON ({@code {"id":"42"}}) in dead letters. */
public record RowKey(Map<String, String> values) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    /** The key of a page row, read from its position columns. */
    public static RowKey of(TableSpec spec, Map<String, Object> row) {
        List<ColumnSpec> position = spec.positionColumns();
        Map<String, String> values = new LinkedHashMap<>();
        for (ColumnSpec k : spec.key()) {
            values.put(k.source(), ChangeQuery.positionValue(position, row, position.indexOf(k)));
        }
        return new RowKey(values);
    }

    /** Parses the stored JSON form. */
    public static RowKey parse(String json) {
        try {
            return new RowKey(JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Dead-letter key is not valid JSON: " + json, e);
        }
    }

    /** The key values in the spec's key order, for {@link ChangeQuery#byKey}. */
    public List<Object> inOrder(TableSpec spec) {
        List<Object> out = new ArrayList<>();
        for (ColumnSpec k : spec.key()) {
            if (!values.containsKey(k.source())) {
                throw new IllegalArgumentException("Dead-letter key " + json() + " lacks key column " + k.source());
            }
            out.add(values.get(k.source()));
        }
        return out;
    }

    /**
     * The stored JSON form: what Jackson writes for the map ({@code {"id":"42"}}, escaped by its own encoder), written
     * directly: a page with fan-out asks for the key of each of its rows.
     */
    public String json() {
        StringBuilder out = new StringBuilder(8 + 24 * values.size()).append('{');
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"');
            QUOTE.quoteAsString(e.getKey(), out);
            out.append("\":");
            if (e.getValue() == null) {
                out.append("null");
            } else {
                out.append('"');
                QUOTE.quoteAsString(e.getValue(), out);
                out.append('"');
            }
        }
        return out.append('}').toString();
    }

    @Override
    public String toString() {
        return json();
    }
}
