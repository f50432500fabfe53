package io.pgturso.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a pipeline request body into a JSON tree in which every {@code args} array is one node holding the decoded
 * values ({@link Args}), read straight from the tokens: a tree node per argument made the test server, not the client,
 * the slowest part of a bulk write.
 */
final class PipelineJson {

    /** Positional arguments as Java values: Long, Double, String, byte[] or null. */
    record Args(Object[] values) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PipelineJson() {
    }

    /** The request as a tree; throws on malformed JSON. */
    static JsonNode read(byte[] body) throws IOException {
        try (JsonParser parser = LibsqlTestServer.JSON.getFactory().createParser(body)) {
            if (parser.nextToken() == null) {
                throw new IOException("empty body");
            }
            JsonNode tree = node(parser);
            if (parser.nextToken() != null) {
                throw new IOException("trailing content after the request");
            }
            return tree;
        }
    }

    /** The arguments of a statement node (none when it has no {@code args}). */
    static Object[] args(JsonNode stmt) {
        JsonNode args = stmt.get("args");
        return args instanceof POJONode pojo && pojo.getPojo() instanceof Args decoded ? decoded.values() : new Object[0];
    }

    private static JsonNode node(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    object.set(name, "args".equals(name) && value == JsonToken.START_ARRAY ? args(parser) : node(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(node(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(parser.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IOException("unexpected " + parser.currentToken());
        }
    }

    // [{"type":"integer","value":"1"}, {"type":"float","value":1.5}, {"type":"text","value":"a"},
    //  {"type":"blob","base64":"..."}, {"type":"null"}]; a float with a null value is +Infinity, as the server writes it
    private static POJONode args(JsonParser parser) throws IOException {
        List<Object> values = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            String type = null;
            String text = null;
            Double number = null;
            boolean nullValue = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("type".equals(name)) {
                    type = parser.getText();
                } else if ("value".equals(name) || "base64".equals(name)) {
                    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                        number = parser.getDoubleValue();
                    } else if (token == JsonToken.VALUE_NULL) {
                        nullValue = true;
                    } else {
                        text = parser.getText();
                    }
                } else {
                    parser.skipChildren();
                }
            }
            values.add(value(type, text, number, nullValue));
        }
        if (parser.currentToken() != JsonToken.END_ARRAY) {
            throw new IOException("an argument must be an object");
        }
        return new POJONode(new Args(values.toArray()));
    }

    private static Object value(String type, String text, Double number, boolean nullValue) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "integer" -> Long.parseLong(text);
            case "float" -> nullValue ? Double.POSITIVE_INFINITY : number != null ? number : Double.valueOf(text);
            case "text" -> text;
            case "blob" -> Base64.getDecoder().decode(text);
            default -> null;
        };
    }
}
