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

    /** Appends the literal and returns true, or appends nothing and returns false when the value must stay an argument. */
    static boolean append(StringBuilder sql, Value value) {
        if (value instanceof Value.NullValue) {
            sql.append("NULL");
            return true;
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
            sql.append('(').append(v).append(')');
            return true;
        }
        if (isInfinite(value)) {
            // SQLite reads a decimal beyond the double range as infinity
            sql.append(((Value.FloatValue) value).value() > 0 ? "9e999" : "(-9e999)");
            return true;
        }
        if (value instanceof Value.TextValue text) {
            String s = text.value();
            if (s.indexOf('\0') >= 0) {
                return false;
            }
            int quote = s.indexOf('\'');
            if (quote < 0) {
                sql.append('\'').append(s).append('\'');
                return true;
            }
            sql.append('\'');
            int from = 0;
            for (; quote >= 0; quote = s.indexOf('\'', from)) {
                sql.append(s, from, quote + 1).append('\'');
                from = quote + 1;
            }
            sql.append(s, from, s.length()).append('\'');
            return true;
        }
        return false;
    }

    /** As {@link #append(StringBuilder, Value)}, into SQL text written as JSON (a multi-row statement's). */
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
            sql.append(((Value.FloatValue) value).value() > 0 ? "9e999" : "(-9e999)");
            return true;
        }
        return false;
    }
}
