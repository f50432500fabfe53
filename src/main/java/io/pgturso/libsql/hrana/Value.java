package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Arrays;
import java.util.Objects;

/** One SQLite value as Hrana carries it: null, 64-bit integer, float, text or blob. */
@JsonSerialize(using = ValueJson.Writer.class)
@JsonDeserialize(using = ValueJson.Reader.class)
public sealed interface Value
        permits Value.NullValue, Value.IntegerValue, Value.FloatValue, Value.TextValue, Value.BlobValue {

    /** The SQL NULL. */
    Value NULL = new NullValue();

    static Value of(long value) {
        // the small integers of most rows (flags, counts, booleans as 0/1) are shared, not made per value
        return value >= IntegerValue.SMALLEST && value <= IntegerValue.LARGEST_SHARED
                ? IntegerValue.SHARED[(int) (value - IntegerValue.SMALLEST)] : new IntegerValue(value);
    }

    static Value of(double value) {
        return new FloatValue(value);
    }

    static Value of(String value) {
        return value == null ? NULL : new TextValue(value);
    }

    static Value of(byte[] value) {
        return value == null ? NULL : new BlobValue(value);
    }

    /** The SQL NULL. */
    record NullValue() implements Value {
    }

    /** A 64-bit signed integer (sent as a decimal string so no JSON reader rounds it). */
    record IntegerValue(long value) implements Value {
        private static final int SMALLEST = -128;
        private static final int LARGEST_SHARED = 1023;
        private static final IntegerValue[] SHARED = new IntegerValue[LARGEST_SHARED - SMALLEST + 1];

        static {
            for (int i = 0; i < SHARED.length; i++) {
                SHARED[i] = new IntegerValue(SMALLEST + i);
            }
        }
    }

    /** A 64-bit float (sent as a JSON number). */
    record FloatValue(double value) implements Value {
    }

    /** A UTF-8 text. */
    record TextValue(String value) implements Value {
        public TextValue {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A binary blob (sent as base64). */
    record BlobValue(byte[] value) implements Value {
        public BlobValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BlobValue blob && Arrays.equals(value, blob.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "BlobValue[" + value.length + " bytes]";
        }
    }
}
