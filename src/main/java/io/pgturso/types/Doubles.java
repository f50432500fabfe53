package io.pgturso.types;

/** The rules for doubles stored in the target, and their exact encoding for servers that misread decimal doubles. */
public final class Doubles {
    /** The SQL that rebuilds a double from two integer parameters, mantissa and binary exponent: exact on any server. */
    public static final String EXACT_PLACEHOLDER = "(? * power(2.0, ?))";

    private Doubles() {
    }

    /** NaN is refused (SQLite stores NULL); -0.0 becomes 0.0, as SQLite's REAL columns store it; ±Infinity is kept. */
    static Double storable(double d) {
        if (Double.isNaN(d)) {
            throw new IllegalArgumentException("NaN cannot be stored: SQLite turns it into NULL");
        }
        return d == 0.0 ? 0.0 : d;
    }

    /** Adds a REAL column's value as the two parameters of {@link #EXACT_PLACEHOLDER} (NULL as two NULLs). */
    public static void addExact(java.util.List<Object> values, Object value) {
        if (value instanceof Number n) {
            long[] parts = exactParts(n.doubleValue());
            values.add(parts[0]);
            values.add(parts[1]);
        } else {
            // NULL, or text a row hook put in a REAL column: SQLite converts it as it would a plain parameter
            values.add(value);
            values.add(value == null ? null : 0L);
        }
    }

    /**
     * {@code d} as {mantissa, exponent} with {@code d == mantissa * 2^exponent} exactly: the mantissa has at most 53
     * bits (converted to a double exactly) and {@code 2^exponent} is a representable power of two, so the product
     * {@link #EXACT_PLACEHOLDER} computes is {@code d} itself. Infinity is {@code ±1 * 2^1024}.
     */
    public static long[] exactParts(double d) {
        if (Double.isInfinite(d)) {
            return new long[] {d > 0 ? 1 : -1, 1024};
        }
        if (d == 0.0) {
            return new long[] {0, 0};
        }
        long bits = Double.doubleToRawLongBits(d);
        int biased = (int) ((bits >>> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        int exponent;
        if (biased == 0) {
            exponent = -1074;
        } else {
            mantissa |= 1L << 52;
            exponent = biased - 1075;
        }
        int zeros = Math.min(Long.numberOfTrailingZeros(mantissa), 1023 - exponent);
        if (zeros > 0) {
            mantissa >>= zeros;
            exponent += zeros;
        }
        return new long[] {bits < 0 ? -mantissa : mantissa, exponent};
    }
}
