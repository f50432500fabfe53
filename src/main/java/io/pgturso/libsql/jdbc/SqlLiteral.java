package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.SqlJsonText;
import io.pgturso.libsql.hrana.Value;

/**
 * Writes a value as an SQL literal with the same SQLite type and value as the bound argument would have: NULL, an
 * integer (negative ones in parentheses, so {@code x-?} cannot become a {@code --} comment), text in single quotes
 * with quotes doubled, and ±Infinity (which JSON cannot carry) as {@code 9e999}. Finite REAL (whose decimal text a
 * server may round), BLOB, text holding NUL (which ends SQL text) and the one integer without a positive counterpart
 * stay arguments.
 */
final class SqlLiteral {

    private SqlLiteral() {
    }

    /** Whether the value is a REAL ±Infinity, which JSON cannot carry as an argument. */
    static boolean isInfinite(Value value) {
        return value instanceof Value.FloatValue real && Double.isInfinite(real.value());
    }

    /** The literal of a REAL ±Infinity: SQLite reads a decimal beyond the double range as infinity. */
    static String infinity(Value value) {
        return ((Value.FloatValue) value).value() > 0 ? "9e999" : "(-9e999)";
    }

    /**
     * Appends the literal to SQL text written as JSON (a multi-row statement's) and returns true, or appends nothing
     * and returns false when the value must stay an argument.
     */
    static boolean append(SqlJsonText sql, Value value) {
        if (value instanceof Value.TextValue text) {
            return sql.appendQuoted(text.value());
        }
        if (value instanceof Value.IntegerValue integer) {
            long v = integer.value();
            if (v >= 0) {
                sql.append(v);
                return true;
            }
            if (v == Long.MIN_VALUE) {
                return false;
            }
            sql.appendAscii('(').append(v).appendAscii(')');
            return true;
        }
        if (value instanceof Value.NullValue) {
            sql.append("NULL");
            return true;
        }
        if (isInfinite(value)) {
            sql.append(infinity(value));
            return true;
        }
        return false;
    }
}
