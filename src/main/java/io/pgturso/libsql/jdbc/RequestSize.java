package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Value;
import java.util.List;

/** Upper bounds of the JSON bytes that statements and arguments take in a request, to split before sending. */
final class RequestSize {

    /** Envelope, BEGIN, COMMIT, ROLLBACK and their conditions. */
    static final int FIXED = 512;
    /** One step's wrapper, its condition and its entry in COMMIT's condition. */
    static final int PER_STEP = 160;
    /** A {@code SELECT changes()} step. */
    static final int CHANGES_STEP = 140;

    private RequestSize() {
    }

    static long of(List<Value> args) {
        long bytes = 0;
        for (int i = 0; i < args.size(); i++) { // no iterator: this runs for every row sent
            bytes += of(args.get(i)) + 1;
        }
        return bytes;
    }

    /**
     * An upper bound of {@link #of(List)} that costs nothing per character: each character of a text counted as the
     * longest it can be written (a control character's escape, six bytes).
     */
    static long bound(List<Value> args) {
        long bytes = 0;
        for (int i = 0; i < args.size(); i++) {
            Value value = args.get(i);
            bytes += (value instanceof Value.TextValue text ? 30 + 6L * text.value().length() : of(value)) + 1;
        }
        return bytes;
    }

    static long of(Value value) {
        if (value instanceof Value.TextValue text) {
            return 28 + json(text.value());
        }
        if (value instanceof Value.BlobValue blob) {
            return 30 + 4L * ((blob.value().length + 2) / 3);
        }
        // {"type":"integer","value":"-9223372036854775808"} is the longest of the rest.
        return 52;
    }

    /**
     * Bytes of a string as a JSON string in UTF-8 (escapes for quotes, backslashes and control characters), plus one
     * per single quote: also a bound for the text as an inlined SQL literal, where single quotes are doubled.
     */
    static long json(String text) {
        int length = text.length();
        long bytes = 2L + length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            // one table look-up per ASCII character: this runs over every text value of every row sent
            bytes += c < 0x80 ? ASCII_EXTRA[c] : c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
        }
        return bytes;
    }

    /** Bytes beyond one that an ASCII character takes: 5 for a control character, 1 for {@code " \ '}. */
    private static final byte[] ASCII_EXTRA = new byte[0x80];

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_EXTRA[c] = 5;
        }
        ASCII_EXTRA['"'] = 1;
        ASCII_EXTRA['\\'] = 1;
        ASCII_EXTRA['\''] = 1;
    }
}
