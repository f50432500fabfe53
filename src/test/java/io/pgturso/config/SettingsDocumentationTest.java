package io.pgturso.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The settings registry, the README's settings table, the commented application.properties and the routes' fallbacks agree. */
class SettingsDocumentationTest {
    private static final Path PROJECT = Path.of(System.getProperty("project.dir", "."));

    @Test
    void every_setting_is_in_application_properties_with_its_default() throws IOException {
        List<String> lines = Files.readAllLines(PROJECT.resolve("application.properties"));
        for (Setting setting : Settings.all()) {
            Pattern line = Pattern.compile("^#?\\s*" + Pattern.quote(setting.name()) + "\\s*="
                    + (setting.defaultValue() == null ? ".*" : "\\s*" + Pattern.quote(setting.defaultValue()) + "\\s*$"));
            assertThat(lines).as(setting.name() + " = " + setting.defaultValue()).anyMatch(l -> line.matcher(l).find());
        }
    }

    @Test
    void every_setting_is_in_the_readme_with_its_default_and_doc() throws IOException {
        List<String> lines = Files.readAllLines(PROJECT.resolve("README.md"));
        for (Setting setting : Settings.all()) {
            String defaultCell = setting.defaultValue() == null ? "none" : "`" + setting.defaultValue() + "`";
            assertThat(lines).as(setting.name()).anyMatch(l -> l.startsWith("| `" + setting.name() + "` | " + defaultCell + " | "));
        }
    }

    @Test
    void every_setting_a_route_uses_has_the_registry_default_as_its_fallback() throws IOException {
        Pattern placeholder = Pattern.compile("\\{\\{(sync\\.[a-z.-]+)(?::([^}]*))?}}");
        int found = 0;
        try (Stream<Path> files = Files.walk(PROJECT.resolve("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher m = placeholder.matcher(Files.readString(file));
                while (m.find()) {
                    found++;
                    Setting setting = Settings.named(m.group(1));
                    assertThat(setting).as(file.getFileName() + ": " + m.group(1) + " is a declared setting").isNotNull();
                    if (setting.defaultValue() == null) {
                        // an optional setting without a default: the route still needs a fallback to resolve
                        assertThat(m.group(2)).as(file.getFileName() + ": fallback of " + m.group(1)).isNotNull();
                    } else {
                        assertThat(m.group(2)).as(file.getFileName() + ": fallback of " + m.group(1)).isEqualTo(setting.defaultValue());
                    }
                }
            }
        }
        assertThat(found).as("placeholders found in routes/").isGreaterThan(0);
    }

    @Test
    void each_type_checks_its_values() {
        SettingValues values = new SettingValues(key -> Optional.ofNullable(Map.of(
                "sync.batch-size", "0", "sync.http.port", "70000", "sync.schedule", "0 0 12 * * ? 1999",
                "sync.horizon.enabled", "yes").get(key)));

        assertThat(values.problems()).containsExactlyInAnyOrder(
                "sync.schedule never fires again (is its year in the past?) (got '0 0 12 * * ? 1999'; " + Settings.SCHEDULE.doc() + ")",
                "sync.batch-size must be a whole number of 1 or more (got '0'; " + Settings.BATCH_SIZE.doc() + ")",
                "sync.horizon.enabled must be true or false (got 'yes'; " + Settings.HORIZON_ENABLED.doc() + ")",
                "sync.http.port must be a port number between 1 and 65535 (got '70000'; " + Settings.HTTP_PORT.doc() + ")");
        assertThat(new SettingValues(key -> Optional.empty()).integer(Settings.BATCH_SIZE)).as("unset takes the default").isEqualTo(5000);
    }

    @Test
    void unknown_keys_are_named_with_the_closest_setting() {
        assertThat(SettingValues.unknownKeys(List.of("sync.retry.max-attempt", "sync.schedule", "camel.main.name", "sync.zzz")))
                .containsExactly("Unknown setting sync.retry.max-attempt: did you mean sync.retry.max-attempts? (the settings are listed in README.md)",
                        "Unknown setting sync.zzz (the settings are listed in README.md)");
    }
}
