package io.pgturso.types;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Postgres' ISO date/time text into fixed-width ISO-8601 text that sorts correctly in SQLite. */
final class Timestamps {
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4,})-(\\d\\d)-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.(\\d{1,6}))?([+-]\\d\\d(?::\\d\\d(?::\\d\\d)?)?)?");
    private static final Pattern DATE = Pattern.compile("\\d{4,}-\\d\\d-\\d\\d");
    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    /** {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}: the fast path's digits go over it, missing fraction digits stay zero. */
    private static final char[] ISO_TEMPLATE = "0000-00-00T00:00:00.000000Z".toCharArray();

    private Timestamps() {
    }

    /** {@code 2024-05-01 10:00:00.5+00} becomes {@code 2024-05-01T10:00:00.500000Z}. */
    static String isoUtc(String text) {
        String fast = utcFastPath(text);
        if (fast != null) {
            return fast;
        }
        if (isInfinity(text)) {
            return text;
        }
        Matcher m = parse(text, "timestamptz");
        String offset = m.group(8);
        if (offset == null || offset.equals("+00") || offset.equals("-00")) {
            return localPart(m) + "Z";
        }
        LocalDateTime local = LocalDateTime.parse(localPart(m));
        LocalDateTime utc = local.atOffset(ZoneOffset.of(offset.length() == 3 ? offset + ":00" : offset))
                .withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        checkYear(text, Integer.toString(utc.getYear()).length());
        return utc.format(ISO_MICROS) + "Z";
    }

    /** {@code 2024-05-01 10:00:00.5} becomes {@code 2024-05-01T10:00:00.500000}. */
    static String isoLocal(String text) {
        if (isInfinity(text)) {
            return text;
        }
        return localPart(parse(text, "timestamp"));
    }

    /** Dates pass through; dates before the common era are refused. */
    static String isoDate(String text) {
        if (isInfinity(text)) {
            return text;
        }
        if (!DATE.matcher(text).matches()) {
            throw new IllegalArgumentException("date '" + text + "' has no ISO-8601 form (dates before year 1 are not supported)");
        }
        return checkYear(text, text.indexOf('-'));
    }

    /** The form Postgres prints in a UTC session, {@code yyyy-MM-dd HH:mm:ss[.f{1,6}]+00}, without a regex (per-row path). */
    private static String utcFastPath(String text) {
        int end = text.length() - 3;
        if (end < 19 || text.charAt(4) != '-' || text.charAt(10) != ' ' || !text.endsWith("+00")
                || end > 19 && (text.charAt(19) != '.' || end == 20 || end > 26)) {
            return null;
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            char expected = i == 4 || i == 7 ? '-' : i == 10 ? ' ' : i == 13 || i == 16 ? ':' : i == 19 ? '.' : '0';
            if (expected == '0' ? c < '0' || c > '9' : c != expected) {
                return null;
            }
        }
        // one array filled in bulk: appending a CharSequence range copies char by char (a twelfth of a cold backfill)
        char[] iso = ISO_TEMPLATE.clone();
        text.getChars(0, 10, iso, 0);
        text.getChars(11, end, iso, 11);
        return new String(iso);
    }

    private static boolean isInfinity(String text) {
        return text.equals("infinity") || text.equals("-infinity");
    }

    private static Matcher parse(String text, String type) {
        Matcher m = TIMESTAMP.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(type + " '" + text + "' has no ISO-8601 form (dates before year 1 are not supported)");
        }
        return m;
    }

    /** Years past 9999 are refused: their text would sort before year 9999's, breaking cursors and the guarded upsert. */
    private static String checkYear(String text, int yearDigits) {
        if (yearDigits > 4) {
            throw new IllegalArgumentException("'" + text + "' is after year 9999, which does not sort as ISO-8601 text");
        }
        return text;
    }

    private static String localPart(Matcher m) {
        checkYear(m.group(0), m.group(1).length());
        String fraction = m.group(7) == null ? "" : m.group(7);
        return m.group(1) + "-" + m.group(2) + "-" + m.group(3) + "T" + m.group(4) + ":" + m.group(5) + ":" + m.group(6)
                + "." + (fraction + "000000").substring(0, 6);
    }
}
