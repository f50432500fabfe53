package io.pgturso.cdc.pgoutput;

/** Postgres' log sequence numbers (WAL positions) as unsigned 64-bit longs, written as Postgres writes them ({@code 16/B374D848}). */
public final class Lsn {
    /** No position ({@code 0/0}): "wherever the slot is" when starting a stream. */
    public static final long NONE = 0L;

    private Lsn() {
    }

    /** The position as Postgres writes it: two hexadecimal halves separated by a slash. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /** Reads {@code X/Y} as Postgres writes it. */
    public static long parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not a WAL position (expected e.g. 16/B374D848): '" + text + "'");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL || high < 0 || low < 0) {
                throw new NumberFormatException("out of range");
            }
            return (high << 32) | low;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a WAL position (expected e.g. 16/B374D848): '" + text + "'", e);
        }
    }

    /** Orders positions as unsigned numbers, as Postgres does. */
    public static int compare(long a, long b) {
        return Long.compareUnsigned(a, b);
    }
}
