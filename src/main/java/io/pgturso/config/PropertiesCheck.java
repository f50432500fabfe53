package io.pgturso.config;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.spi.PropertiesComponent;

/** Checks every {@code sync.*} key of application.properties before anything starts, and gives the routes' placeholders their defaults. */
public final class PropertiesCheck {
    private PropertiesCheck() {
    }

    /**
     * Refuses unknown {@code sync.*} keys and bad values (all named at once), then lets each unset setting's
     * {@code {{name}}} placeholder resolve to its default. Returns the checked values.
     */
    public static SettingValues apply(PropertiesComponent properties) {
        SettingValues values = new SettingValues(properties::resolveProperty);
        List<String> problems = new ArrayList<>(SettingValues.unknownKeys(properties.loadProperties().stringPropertyNames()));
        problems.addAll(values.problems());
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        for (Setting setting : Settings.all()) {
            boolean unset = properties.resolveProperty(setting.name()).map(String::isBlank).orElse(true);
            if (unset && setting.defaultValue() != null) {
                properties.addOverrideProperty(setting.name(), setting.defaultValue());
            }
        }
        return values;
    }
}
