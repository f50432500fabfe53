package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Base64;

/** Jackson mapping of {@link Value}: integers as decimal strings, blobs as base64 (padding optional on read). */
final class ValueJson {

    private ValueJson() {
    }

    /** Writes a value as {@code {"type": ..., "value"|"base64": ...}}. */
    static final class Writer extends StdSerializer<Value> {
        Writer() {
            super(Value.class);
        }

        private static final SerializedString TYPE = new SerializedString("type");
        private static final SerializedString VALUE = new SerializedString("value");
        private static final SerializedString BASE64 = new SerializedString("base64");
        private static final SerializedString NULL = new SerializedString("null");
        private static final SerializedString INTEGER = new SerializedString("integer");
        private static final SerializedString FLOAT = new SerializedString("float");
        private static final SerializedString TEXT = new SerializedString("text");
        private static final SerializedString BLOB = new SerializedString("blob");

        // names and type words are pre-encoded: this runs for every argument of every row sent
        @Override
        public void serialize(Value value, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject();
            json.writeFieldName(TYPE);
            if (value instanceof Value.NullValue) {
                json.writeString(NULL);
            } else if (value instanceof Value.IntegerValue integer) {
                json.writeString(INTEGER);
                json.writeFieldName(VALUE);
                json.writeString(Long.toString(integer.value()));
            } else if (value instanceof Value.FloatValue real) {
                json.writeString(FLOAT);
                json.writeFieldName(VALUE);
                json.writeNumber(real.value());
            } else if (value instanceof Value.TextValue text) {
                json.writeString(TEXT);
                json.writeFieldName(VALUE);
                json.writeString(text.value());
            } else if (value instanceof Value.BlobValue blob) {
                json.writeString(BLOB);
                json.writeFieldName(BASE64);
                json.writeString(Base64.getEncoder().encodeToString(blob.value()));
            }
            json.writeEndObject();
        }
    }

    /** Reads a value; the JDK's base64 decoder accepts the unpadded form the server sends. */
    static final class Reader extends StdDeserializer<Value> {
        Reader() {
            super(Value.class);
        }

        @Override
        public Value deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            String type = node.path("type").asText();
            JsonNode value = node.get("value");
            switch (type) {
                case "null":
                    return Value.NULL;
                case "integer":
                    return Value.of(Long.parseLong(value.asText()));
                case "float":
                    // libsql-server and tursodb write ±Infinity as null (JSON has no infinities) and lose the sign;
                    // libSQL's Python test server writes the tokens Infinity / -Infinity: numbers, with their sign
                    if (value == null || value.isNull()) {
                        return Value.of(Double.POSITIVE_INFINITY);
                    }
                    return Value.of(value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText()));
                case "text":
                    return Value.of(value.asText());
                case "blob":
                    return Value.of(Base64.getDecoder().decode(node.path("base64").asText()));
                default:
                    throw context.weirdStringException(type, Value.class, "unknown Hrana value type");
            }
        }
    }
}
