package io.pgturso.types;

/** {@code bytea} as Postgres writes it as text in its hex form ({@code \x00ff10}, {@code bytea_output = hex}). */
final class ByteaText {
    private ByteaText() {
    }

    /** The bytes, or an {@link IllegalArgumentException} for any other form (the stream's sessions set hex). */
    static byte[] parse(String text) {
        if (!text.startsWith("\\x") || text.length() % 2 != 0) {
            throw new IllegalArgumentException("bytea text is not in the hex form (\\x...): set bytea_output = 'hex'");
        }
        byte[] out = new byte[(text.length() - 2) / 2];
        for (int i = 0; i < out.length; i++) {
            int high = Character.digit(text.charAt(2 + 2 * i), 16);
            int low = Character.digit(text.charAt(3 + 2 * i), 16);
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("bytea text holds a character that is not a hex digit at " + (2 + 2 * i));
            }
            out[i] = (byte) (high << 4 | low);
        }
        return out;
    }
}
