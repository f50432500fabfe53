package io.pgturso.config;

import java.util.Date;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/** The kinds of value a {@link Setting} takes, each with its check (a whole number's range is the setting's). */
public enum SettingType {
    /** Any text. */
    TEXT,
    /** true or false. */
    BOOLEAN,
    /** A whole number of 1 or more (or the setting's range). */
    POSITIVE,
    /** A whole number of 0 or more, e.g. counts, milliseconds (or the setting's range). */
    NON_NEGATIVE,
    /** A TCP port, 1-65535. */
    PORT,
    /** A Quartz cron expression that fires at least once more. */
    CRON,
    /** One of a fixed list of words. */
    CHOICE,
    /** A lower-case Postgres name (a schema, a table), safe to put into SQL as it is. */
    NAME;

    private static final Pattern LOWER_CASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** Why {@code value} is not of this type, or null when it is (choices and ranges: {@link Setting#problem}). */
    String problem(String value) {
        return switch (this) {
            case TEXT, CHOICE, POSITIVE, NON_NEGATIVE -> null;
            case BOOLEAN -> value.equals("true") || value.equals("false") ? null : "must be true or false";
            case PORT -> range(value, 1, 65_535, "must be a port number between 1 and 65535");
            case CRON -> cronProblem(value);
            case NAME -> LOWER_CASE_NAME.matcher(value).matches() ? null
                    : "must be a lower-case Postgres name of letters, digits and _";
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
