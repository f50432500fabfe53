package io.pgturso.libsql.hrana;

import java.util.List;

/**
 * SQL text written, as it is made, straight into the UTF-8 bytes of a JSON string (escaped, without its quotes): a long
 * generated statement (thousands of rows of literals) is then neither held as a String nor escaped again when its
 * request is written. Escapes as Jackson's generator does, except that a surrogate pair is written as its UTF-8 bytes.
 */
public final class SqlJsonText {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** For each ASCII character: 0 written as it is, 1 a two-character escape ({@link #SHORT}), 2 a {@code \\u00XX}. */
    private static final byte[] ESCAPE = new byte[0x80];
    private static final byte[] SHORT = new byte[0x80];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 2;
        }
        short2('"', '"');
        short2('\\', '\\');
        short2('\n', 'n');
        short2('\r', 'r');
        short2('\t', 't');
        short2('\b', 'b');
        short2('\f', 'f');
    }

    private static void short2(char c, char escape) {
        ESCAPE[c] = 1;
        SHORT[c] = (byte) escape;
    }

    private byte[] bytes;
    private int length;

    /** An empty text with room for about {@code capacity} bytes. */
    public SqlJsonText(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** The escaped UTF-8 bytes of {@code text}, to append as they are ({@link #appendEscaped}). */
    public static byte[] escaped(String text) {
        SqlJsonText json = new SqlJsonText(text.length() + 16);
        json.append(text);
        return java.util.Arrays.copyOf(json.bytes, json.length);
    }

    /** Appends bytes already escaped ({@link #escaped}). */
    public SqlJsonText appendEscaped(byte[] escaped) {
        room(escaped.length);
        System.arraycopy(escaped, 0, bytes, length, escaped.length);
        length += escaped.length;
        return this;
    }

    public SqlJsonText append(String text) {
        int n = text.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80 && ESCAPE[c] == 0) {
                if (length == bytes.length) {
                    room(n - i);
                }
                bytes[length++] = (byte) c;
            } else {
                i = appendSpecial(text, i, c);
            }
        }
        return this;
    }

    /** Appends one ASCII character that needs no escape (SQL punctuation). */
    public SqlJsonText appendAscii(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends {@code value} in decimal. */
    public SqlJsonText append(long value) {
        if (value == Long.MIN_VALUE) {
            return append(Long.toString(value));
        }
        room(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /**
     * Appends {@code text} as an SQL string literal: in single quotes, each single quote doubled. Returns false, with
     * nothing appended, when the text holds a NUL character (which ends SQL text): it must stay an argument.
     */
    public boolean appendQuoted(String text) {
        int start = length;
        int n = text.length();
        room(2 * n + 2); // the most plain ASCII takes: every character a doubled quote
        byte[] b = bytes;
        int p = length;
        b[p++] = '\'';
        // locals, not fields, in the loop: it runs over every character of every text value sent
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80 && ESCAPE[c] == 0) {
                b[p++] = (byte) c;
                if (c == '\'') {
                    b[p++] = '\'';
                }
            } else if (c == 0) {
                length = start;
                return false;
            } else {
                length = p;
                i = appendSpecial(text, i, c);
                room(2 * (n - i) + 2);
                b = bytes;
                p = length;
            }
        }
        b[p++] = '\'';
        length = p;
        return true;
    }

    /** The bytes written so far. */
    public int length() {
        return length;
    }

    /** A statement whose SQL is this text (which it then owns: append no more). */
    public Stmt stmt(List<Value> args, boolean wantRows) {
        return Stmt.ofJsonText(bytes, length, args, wantRows);
    }

    // An escaped ASCII character or a non-ASCII one (UTF-8; a lone surrogate as an escape); returns the last index used.
    private int appendSpecial(String text, int i, char c) {
        room(12);
        if (c < 0x80) {
            bytes[length++] = '\\';
            if (ESCAPE[c] == 1) {
                bytes[length++] = SHORT[c];
            } else {
                unicodeEscape(c);
            }
        } else if (c < 0x800) {
            bytes[length++] = (byte) (0xC0 | c >> 6);
            bytes[length++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, text.charAt(i + 1));
            bytes[length++] = (byte) (0xF0 | cp >> 18);
            bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
            bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | cp & 0x3F);
            return i + 1;
        } else if (Character.isSurrogate(c)) {
            bytes[length++] = '\\';
            unicodeEscape(c);
        } else {
            bytes[length++] = (byte) (0xE0 | c >> 12);
            bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
            bytes[length++] = (byte) (0x80 | c & 0x3F);
        }
        return i;
    }

    private void unicodeEscape(char c) {
        bytes[length++] = 'u';
        bytes[length++] = HEX[c >> 12 & 0xF];
        bytes[length++] = HEX[c >> 8 & 0xF];
        bytes[length++] = HEX[c >> 4 & 0xF];
        bytes[length++] = HEX[c & 0xF];
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
