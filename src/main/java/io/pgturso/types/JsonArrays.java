package io.pgturso.types;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.function.UnaryOperator;

/** Rewrites the string elements of a JSON array (at any depth), e.g. timestamps into their scalar form. */
final class JsonArrays {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonArrays() {
    }

    /** {@code json} with every string element replaced by {@code f} of it; numbers, NULLs and nesting stay. */
    static String mapStrings(String json, UnaryOperator<String> f) {
        try {
            JsonNode root = JSON.readTree(json);
            map(root, f);
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("array is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static void map(JsonNode node, UnaryOperator<String> f) {
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element.isTextual()) {
                    array.set(i, TextNode.valueOf(f.apply(element.textValue().replace('T', ' '))));
                } else {
                    map(element, f);
                }
            }
        }
    }
}
