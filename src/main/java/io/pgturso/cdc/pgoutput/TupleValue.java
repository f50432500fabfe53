package io.pgturso.cdc.pgoutput;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One column of a row as pgoutput sends it: NULL, an unchanged TOAST value that was not sent (keep the target's value,
 * never write NULL), a value in Postgres' text output form, or (with the {@code binary} option) in its binary form.
 */
public sealed interface TupleValue permits TupleValue.Null, TupleValue.UnchangedToast, TupleValue.Text, TupleValue.Binary {

    /** The SQL NULL ({@code n}). */
    TupleValue NULL = new Null();

    /** A large value the change did not touch, left out of the message ({@code u}): the target keeps what it has. */
    TupleValue UNCHANGED_TOAST = new UnchangedToast();

    /** The SQL NULL ({@code n}). */
    record Null() implements TupleValue {
    }

    /** A TOASTed value the change left as it was and Postgres did not send ({@code u}). */
    record UnchangedToast() implements TupleValue {
    }

    /**
     * A value in Postgres' text output form ({@code t}), as the bytes that came: UTF-8 (the client encoding of the
     * replication connection) unless the database is SQL_ASCII, which keeps any bytes.
     */
    record Text(byte[] bytes) implements TupleValue {
        public Text {
            Objects.requireNonNull(bytes, "bytes");
        }

        /** A text value from a Java string (tests, and callers that build changes themselves). */
        public static Text of(String text) {
            return new Text(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The text, or an {@link IllegalArgumentException} naming the first byte that is not UTF-8 and where it is. */
        public String text() {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CharBuffer out = CharBuffer.allocate(bytes.length);
            CoderResult result = decoder.decode(in, out, true);
            if (!result.isError()) {
                result = decoder.flush(out);
            }
            if (result.isError()) {
                throw new IllegalArgumentException(String.format("not valid UTF-8 (byte 0x%02x at offset %d): the "
                        + "database's encoding, SQL_ASCII, keeps any bytes; correct the value in Postgres",
                        bytes[in.position()] & 0xff, in.position()));
            }
            return out.flip().toString();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Text text && Arrays.equals(bytes, text.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Text[" + new String(bytes, StandardCharsets.UTF_8) + "]";
        }
    }

    /** A value in the type's binary send form ({@code b}, only with the stream option {@code binary}). */
    record Binary(byte[] bytes) implements TupleValue {
        public Binary {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Binary binary && Arrays.equals(bytes, binary.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary[" + bytes.length + " bytes]";
        }
    }
}
