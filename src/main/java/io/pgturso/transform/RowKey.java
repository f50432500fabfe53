package io.pgturso.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    /** The key of a page row, read from its position columns. */
    public static RowKey of(TableSpec spec, Map<String, Object> row) {
        List<ColumnSpec> position = spec.positionColumns();
        Map<String, String> values = new LinkedHashMap<>();
        for (ColumnSpec k : spec.key()) {
            values.put(k.source(), ChangeQuery.positionValue(spec, row, position.indexOf(k)));
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

    /** The stored JSON form. */
    public String json() {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return json();
    }
}
