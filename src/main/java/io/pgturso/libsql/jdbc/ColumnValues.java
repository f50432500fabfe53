package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.UUID;

/** Reads a result value as the Java type a getter asks for; NULL reads as null (and 0/false for primitives). */
final class ColumnValues {

    // ISO-8601 with 'T' or SQLite's space, optional seconds, fraction and offset ("Z", "+02:00", "+0200").
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private ColumnValues() {
    }

    static String string(Value value) {
        if (value instanceof Value.TextValue text) {
            return text.value();
        }
        if (value instanceof Value.IntegerValue integer) {
            return Long.toString(integer.value());
        }
        if (value instanceof Value.FloatValue real) {
            return Double.toString(real.value());
        }
        if (value instanceof Value.BlobValue blob) {
            return new String(blob.value(), StandardCharsets.UTF_8);
        }
        return null;
    }

    static long wholeNumber(Value value, long min, long max) throws SQLException {
        long result;
        if (value instanceof Value.IntegerValue integer) {
            result = integer.value();
        } else if (value instanceof Value.FloatValue real) {
            result = (long) real.value();
        } else if (value instanceof Value.NullValue) {
            return 0;
        } else {
            result = decimal(value).longValue();
        }
        if (result < min || result > max) {
            throw new SQLDataException("value " + result + " does not fit the requested type", "22003");
        }
        return result;
    }

    static double real(Value value) throws SQLException {
        if (value instanceof Value.FloatValue real) {
            return real.value();
        }
        if (value instanceof Value.IntegerValue integer) {
            return integer.value();
        }
        if (value instanceof Value.NullValue) {
            return 0;
        }
        String text = string(value).strip();
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw notA("number", text);
        }
    }

    static BigDecimal decimal(Value value) throws SQLException {
        if (value instanceof Value.IntegerValue integer) {
            return BigDecimal.valueOf(integer.value());
        }
        if (value instanceof Value.FloatValue real) {
            return BigDecimal.valueOf(real.value());
        }
        if (value instanceof Value.NullValue) {
            return null;
        }
        String text = string(value).strip();
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw notA("number", text);
        }
    }

    static boolean bool(Value value) throws SQLException {
        if (value instanceof Value.NullValue) {
            return false;
        }
        if (value instanceof Value.TextValue text) {
            String s = text.value().strip();
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("t") || s.equalsIgnoreCase("yes")) {
                return true;
            }
            if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("f") || s.equalsIgnoreCase("no") || s.isEmpty()) {
                return false;
            }
        }
        return real(value) != 0;
    }

    static byte[] bytes(Value value) {
        if (value instanceof Value.BlobValue blob) {
            return blob.value().clone();
        }
        String text = string(value);
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** The natural Java object: Long, Double, String, byte[] or null. */
    static Object object(Value value) {
        if (value instanceof Value.IntegerValue integer) {
            return integer.value();
        }
        if (value instanceof Value.FloatValue real) {
            return real.value();
        }
        if (value instanceof Value.BlobValue blob) {
            return blob.value().clone();
        }
        return string(value);
    }

    /**
     * A moment or local date-time from ISO-8601 text, or from an integer as epoch milliseconds (sqlite-jdbc's way).
     * Text without an offset is read in {@code zone}.
     */
    static Instant instant(Value value, ZoneId zone) throws SQLException {
        if (value instanceof Value.NullValue) {
            return null;
        }
        if (value instanceof Value.IntegerValue integer) {
            return Instant.ofEpochMilli(integer.value());
        }
        TemporalAccessor parsed = parseDateTime(string(value));
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            return OffsetDateTime.from(parsed).toInstant();
        }
        if (!parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
            return LocalDate.from(parsed).atStartOfDay(zone).toInstant();
        }
        return LocalDateTime.from(parsed).atZone(zone).toInstant();
    }

    static LocalDateTime localDateTime(Value value) throws SQLException {
        if (value instanceof Value.NullValue) {
            return null;
        }
        if (value instanceof Value.IntegerValue) {
            return LocalDateTime.ofInstant(instant(value, ZoneId.systemDefault()), ZoneId.systemDefault());
        }
        TemporalAccessor parsed = parseDateTime(string(value));
        if (!parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
            return LocalDate.from(parsed).atStartOfDay();
        }
        return LocalDateTime.from(parsed);
    }

    static OffsetDateTime offsetDateTime(Value value) throws SQLException {
        Instant instant = instant(value, ZoneId.of("UTC"));
        if (instant == null) {
            return null;
        }
        if (value instanceof Value.TextValue text) {
            TemporalAccessor parsed = parseDateTime(text.value());
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                return OffsetDateTime.from(parsed);
            }
        }
        return instant.atOffset(java.time.ZoneOffset.UTC);
    }

    static LocalDate localDate(Value value) throws SQLException {
        LocalDateTime dateTime = localDateTime(value);
        return dateTime == null ? null : dateTime.toLocalDate();
    }

    static LocalTime localTime(Value value) throws SQLException {
        if (value instanceof Value.TextValue text && text.value().length() <= 18 && text.value().indexOf('-') < 0) {
            try {
                return LocalTime.parse(text.value().strip());
            } catch (DateTimeParseException e) {
                throw notA("time", text.value());
            }
        }
        LocalDateTime dateTime = localDateTime(value);
        return dateTime == null ? null : dateTime.toLocalTime();
    }

    static UUID uuid(Value value) throws SQLException {
        if (value instanceof Value.BlobValue blob && blob.value().length == 16) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(blob.value());
            return new UUID(buffer.getLong(), buffer.getLong());
        }
        String text = string(value);
        try {
            return text == null ? null : UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw notA("UUID", text);
        }
    }

    private static TemporalAccessor parseDateTime(String text) throws SQLException {
        String trimmed = text.strip();
        try {
            if (trimmed.length() == 10) {
                return LocalDate.parse(trimmed);
            }
            return DATE_TIME.parseBest(trimmed, OffsetDateTime::from, LocalDateTime::from);
        } catch (DateTimeParseException e) {
            throw notA("date/time", trimmed);
        }
    }

    private static SQLDataException notA(String what, String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return new SQLDataException("'" + shown + "' is not a " + what, "22018");
    }
}
