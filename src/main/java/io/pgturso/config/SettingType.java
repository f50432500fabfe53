package io.pgturso.config;

import java.util.Date;
import org.quartz.CronExpression;

/** The kinds of value a {@link Setting} takes, each with its check. */
public enum SettingType {
    /** Any text. */
    TEXT,
    /** true or false. */
    BOOLEAN,
    /** A whole number of 1 or more. */
    POSITIVE,
    /** A whole number of 0 or more (counts, milliseconds). */
    NON_NEGATIVE,
    /** A TCP port, 1-65535. */
    PORT,
    /** A Quartz cron expression that fires at least once more. */
    CRON,
    /** One of a fixed list of words. */
    CHOICE;

    /** Why {@code value} is not of this type, or null when it is (for {@link #CHOICE} see {@link Setting#problem}). */
    String problem(String value) {
        return switch (this) {
            case TEXT, CHOICE -> null;
            case BOOLEAN -> value.equals("true") || value.equals("false") ? null : "must be true or false";
            case POSITIVE -> range(value, 1, Long.MAX_VALUE, "must be a whole number of 1 or more");
            case NON_NEGATIVE -> range(value, 0, Long.MAX_VALUE, "must be a whole number of 0 or more");
            case PORT -> range(value, 1, 65_535, "must be a port number between 1 and 65535");
            case CRON -> cronProblem(value);
        };
    }

    private static String range(String value, long min, long max, String message) {
        try {
            long n = Long.parseLong(value);
            return n >= min && n <= max ? null : message;
        } catch (NumberFormatException e) {
            return message;
        }
    }

    /** Why a cron expression is unusable: not valid, or never firing again (e.g. a year in the past). */
    public static String cronProblem(String value) {
        if (!CronExpression.isValidExpression(value)) {
            return "is not a valid Quartz cron expression (example: 0/10 * * * * ? for every 10 seconds)";
        }
        try {
            if (new CronExpression(value).getNextValidTimeAfter(new Date()) == null) {
                return "never fires again (is its year in the past?)";
            }
        } catch (java.text.ParseException e) {
            return "is not a valid Quartz cron expression: " + e.getMessage();
        }
        return null;
    }
}
