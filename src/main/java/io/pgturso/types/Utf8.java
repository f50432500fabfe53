package io.pgturso.types;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/** Text read as bytes from a database that keeps any bytes (SQL_ASCII): decoded as UTF-8, or refused with the bad byte named. */
final class Utf8 {
    private Utf8() {
    }

    /** The text, or an {@link IllegalArgumentException} naming the first byte that is not UTF-8 and where it is. */
    static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IllegalArgumentException(String.format("not valid UTF-8 (byte 0x%02x at offset %d): the database's "
                    + "encoding, SQL_ASCII, keeps any bytes; correct the value in Postgres, then replay",
                    bytes[in.position()] & 0xff, in.position()));
        }
        return out.flip().toString();
    }
}
