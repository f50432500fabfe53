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
        for (Value value : args) {
            bytes += of(value) + 1;
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

    /** Bytes of a string as a JSON string in UTF-8: escapes for quotes, backslashes and control characters. */
    static long json(String text) {
        long bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 2;
            } else if (c < 0x20) {
                bytes += 6;
            } else if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
