package io.pgturso.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
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
        return apply(properties::resolveProperty, properties.loadProperties().stringPropertyNames(), properties::addOverrideProperty);
    }

    /** As above, for application.properties read without Camel ({@link PlainProperties}). */
    public static SettingValues apply(PlainProperties properties) {
        return apply(properties::resolveProperty, properties.keys(), properties::addOverride);
    }

    private static SettingValues apply(Function<String, Optional<String>> resolve, Set<String> keys,
            BiConsumer<String, String> addOverride) {
        SettingValues values = new SettingValues(resolve);
        List<String> problems = new ArrayList<>(SettingValues.unknownKeys(keys));
        problems.addAll(values.problems());
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        for (Setting setting : Settings.all()) {
            boolean unset = resolve.apply(setting.name()).map(String::isBlank).orElse(true);
            if (unset && setting.defaultValue() != null) {
                addOverride.accept(setting.name(), setting.defaultValue());
            }
        }
        return values;
    }
}
