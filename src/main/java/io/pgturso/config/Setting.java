package io.pgturso.config;

import java.util.List;

/**
 * One setting: its name, type, default (null: none), check and one line of doc; whether its value is a secret (never
 * shown, never in a shipped file).
 *
 * @param choices the allowed values of a {@link SettingType#CHOICE} setting, else empty
 * @param min the smallest value of a whole-number setting
 * @param max the largest value of a whole-number setting
 */
public record Setting(String name, SettingType type, String defaultValue, String doc, List<String> choices, long min, long max,
        boolean secret) {

    /** Why {@code value} is not acceptable, or null when it is. */
    public String problem(String value) {
        return switch (type) {
            case CHOICE -> choices.contains(value) ? null
                    : "must be " + String.join(" or ", choices.stream().map(c -> "'" + c + "'").toList());
            case POSITIVE, NON_NEGATIVE -> inRange(value) ? null : rangeText();
            default -> type.problem(value);
        };
    }

    /** The value as it may be shown in a message or a log: a secret's never is. */
    public String shown(String value) {
        return secret ? "***" : value;
    }

    /** {@code must be a whole number of 1 or more}, or {@code ... between 1 and 64} for a range with an upper end. */
    public String rangeText() {
        return max == Long.MAX_VALUE ? "must be a whole number of " + min + " or more"
                : "must be a whole number between " + min + " and " + max;
    }

    private boolean inRange(String value) {
        try {
            long n = Long.parseLong(value);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
