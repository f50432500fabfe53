package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Turns Java parameter values into Hrana values: whole numbers as integers, decimals exactly as text, dates and times
 * as ISO-8601 text (which sorts correctly and SQLite's date functions read), UUIDs as text, booleans as 0/1.
 */
final class Parameters {

    private Parameters() {
    }

    static Value of(Object value) throws SQLException {
        if (value == null) {
            return Value.NULL;
        }
        if (value instanceof String text) {
            return Value.of(text);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Value.of(((Number) value).longValue());
        }
        if (value instanceof Double real) {
            return real(real);
        }
        if (value instanceof Float real) {
            // Float.toString keeps the decimal the caller wrote: 1.1f stays 1.1, not 1.100000023841858.
            return real(Double.parseDouble(Float.toString(real)));
        }
        if (value instanceof Boolean flag) {
            return Value.of(flag ? 1L : 0L);
        }
        if (value instanceof BigDecimal decimal) {
            return Value.of(decimal.toPlainString());
        }
        if (value instanceof BigInteger integer) {
            return integer.bitLength() < 64 ? Value.of(integer.longValue()) : Value.of(integer.toString());
        }
        if (value instanceof byte[] bytes) {
            return Value.of(bytes);
        }
        Value time = timeValue(value);
        if (time != null) {
            return time;
        }
        if (value instanceof UUID || value instanceof Character || value instanceof java.net.URL
                || value instanceof Enum<?>) {
            return Value.of(value.toString());
        }
        if (value instanceof java.sql.Blob blob) {
            return Value.of(blob.getBytes(1, Math.toIntExact(blob.length())));
        }
        if (value instanceof java.sql.Clob clob) {
            return Value.of(clob.getSubString(1, Math.toIntExact(clob.length())));
        }
        throw new SQLException("cannot bind a " + value.getClass().getName() + " as a libSQL value", "22023");
    }

    // SQLite stores NaN as NULL. JSON has no infinity: an infinite value is written into the statement (SqlLiteral).
    private static Value real(double value) {
        if (Double.isNaN(value)) {
            return Value.NULL;
        }
        return Value.of(value);
    }

    /** Dates and times as ISO-8601 text; java.sql types are read as local values, as JDBC defines them. */
    private static Value timeValue(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return text(DateTimeFormatter.ISO_LOCAL_DATE_TIME, timestamp.toLocalDateTime());
        }
        if (value instanceof java.sql.Date date) {
            return text(DateTimeFormatter.ISO_LOCAL_DATE, date.toLocalDate());
        }
        if (value instanceof java.sql.Time time) {
            return text(DateTimeFormatter.ISO_LOCAL_TIME, time.toLocalTime());
        }
        if (value instanceof LocalDateTime local) {
            return text(DateTimeFormatter.ISO_LOCAL_DATE_TIME, local);
        }
        if (value instanceof LocalDate date) {
            return text(DateTimeFormatter.ISO_LOCAL_DATE, date);
        }
        if (value instanceof LocalTime time) {
            return text(DateTimeFormatter.ISO_LOCAL_TIME, time);
        }
        if (value instanceof OffsetDateTime offset) {
            return text(DateTimeFormatter.ISO_OFFSET_DATE_TIME, offset);
        }
        if (value instanceof ZonedDateTime zoned) {
            return text(DateTimeFormatter.ISO_OFFSET_DATE_TIME, zoned.toOffsetDateTime());
        }
        if (value instanceof OffsetTime time) {
            return text(DateTimeFormatter.ISO_OFFSET_TIME, time);
        }
        if (value instanceof Instant instant) {
            return Value.of(DateTimeFormatter.ISO_INSTANT.format(instant));
        }
        if (value instanceof java.util.Date date) {
            return Value.of(DateTimeFormatter.ISO_INSTANT.format(date.toInstant()));
        }
        return null;
    }

    private static Value text(DateTimeFormatter format, java.time.temporal.TemporalAccessor value) {
        return Value.of(format.format(value));
    }

    /** {@code setObject(index, value, targetSqlType)}: converts to the SQL type first, then binds. */
    static Value of(Object value, int targetSqlType) throws SQLException {
        if (value == null) {
            return Value.NULL;
        }
        switch (targetSqlType) {
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.NVARCHAR, Types.NCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB: {
                Value converted = of(value);
                return converted instanceof Value.TextValue ? converted : Value.of(String.valueOf(asText(converted)));
            }
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT:
                return Value.of(wholeNumber(value));
            case Types.BOOLEAN, Types.BIT:
                return Value.of(booleanOf(value) ? 1L : 0L);
            case Types.DOUBLE, Types.FLOAT, Types.REAL:
                return real(value instanceof Number number ? number.doubleValue()
                        : Double.parseDouble(value.toString().strip()));
            case Types.DECIMAL, Types.NUMERIC:
                return Value.of(new BigDecimal(value.toString().strip()).toPlainString());
            default:
                return of(value);
        }
    }

    private static Object asText(Value value) {
        if (value instanceof Value.IntegerValue integer) {
            return integer.value();
        }
        if (value instanceof Value.FloatValue real) {
            return real.value();
        }
        if (value instanceof Value.BlobValue blob) {
            return new String(blob.value(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return value instanceof Value.TextValue text ? text.value() : null;
    }

    private static long wholeNumber(Object value) throws SQLException {
        try {
            if (value instanceof Boolean flag) {
                return flag ? 1 : 0;
            }
            if (value instanceof Number number && !(value instanceof BigDecimal)) {
                return number.longValue();
            }
            return new BigDecimal(value.toString().strip()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new SQLException("'" + value + "' is not a whole number", "22018");
        }
    }

    private static boolean booleanOf(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (value instanceof Number number) {
            return number.doubleValue() != 0;
        }
        String text = value.toString().strip();
        return text.equalsIgnoreCase("true") || text.equals("1") || text.equalsIgnoreCase("t")
                || text.equalsIgnoreCase("yes");
    }

    static Value ofStream(InputStream stream, long length) throws SQLException {
        try {
            return Value.of(length < 0 ? stream.readAllBytes() : stream.readNBytes(Math.toIntExact(length)));
        } catch (IOException e) {
            throw new SQLException("cannot read the parameter stream: " + e.getMessage(), "HY000", e);
        }
    }

    static Value ofReader(Reader reader, long length) throws SQLException {
        try {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            long left = length < 0 ? Long.MAX_VALUE : length;
            int read;
            while (left > 0 && (read = reader.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                text.append(buffer, 0, read);
                left -= read;
            }
            return Value.of(text.toString());
        } catch (IOException e) {
            throw new SQLException("cannot read the parameter reader: " + e.getMessage(), "HY000", e);
        }
    }
}
