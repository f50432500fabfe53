package io.pgturso.config;

import java.util.List;

/**
 * One setting of application.properties: its name, type, default (null: none), check and one line of doc.
 *
 * @param choices the allowed values of a {@link SettingType#CHOICE} setting, else empty
 */
public record Setting(String name, SettingType type, String defaultValue, String doc, List<String> choices) {

    /** Why {@code value} is not acceptable, or null when it is. */
    public String problem(String value) {
        if (type == SettingType.CHOICE) {
            return choices.contains(value) ? null
                    : "must be " + String.join(" or ", choices.stream().map(c -> "'" + c + "'").toList());
        }
        return type.problem(value);
    }
}
