package io.pgturso.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The settings registry, the README's settings table, the commented application.properties and the routes' fallbacks
 * agree; so do the table parameters' registry, the route template and the README's parameter table.
 */
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

    @Test
    void every_table_parameter_is_declared_by_the_route_template_with_its_default_and_description() throws IOException {
        Map<String, Map<String, Object>> declared = templateParameters();

        assertThat(declared.keySet()).as("the template's parameters, in order")
                .containsExactlyElementsOf(TableParameters.all().stream().map(Setting::name).toList());
        for (Setting parameter : TableParameters.all()) {
            Map<String, Object> yaml = declared.get(parameter.name());
            assertThat(yaml.get("defaultValue")).as(parameter.name() + " default").isEqualTo(parameter.defaultValue());
            assertThat(yaml.get("description")).as(parameter.name() + " description").isEqualTo(parameter.doc());
        }
    }

    @Test
    void every_table_parameter_is_in_the_readme() throws IOException {
        Set<String> documented = Files.readAllLines(PROJECT.resolve("README.md")).stream()
                .filter(l -> l.startsWith("| `") && !l.startsWith("| `sync."))
                .flatMap(l -> Pattern.compile("`([A-Za-z]+)`").matcher(l.split("\\|")[1]).results().map(m -> m.group(1)))
                .collect(Collectors.toSet());

        assertThat(documented).containsAll(TableParameters.all().stream().map(Setting::name).toList());
    }

    @Test
    void secrets_have_no_default_and_no_value_in_the_shipped_properties() throws IOException {
        List<String> lines = Files.readAllLines(PROJECT.resolve("application.properties"));
        List<Setting> secrets = Settings.all().stream().filter(Setting::secret).toList();

        assertThat(secrets).extracting(Setting::name)
                .containsExactlyInAnyOrder("sync.source.password", "sync.target.auth-token", "sync.cluster.password",
                        "sync.fan-out.api-token");
        for (Setting secret : secrets) {
            assertThat(secret.defaultValue()).as(secret.name()).isNull();
            assertThat(secret.doc()).as(secret.name()).contains("never logged");
            assertThat(lines).as(secret.name() + " left empty").anyMatch(l -> l.matches("#\\s*" + Pattern.quote(secret.name()) + "\\s*="))
                    .noneMatch(l -> l.matches("#?\\s*" + Pattern.quote(secret.name()) + "\\s*=\\s*\\S.*"));
            assertThat(secret.shown("s3cret-value")).doesNotContain("s3cret");
        }
    }

    @Test
    void ranges_are_checked_where_the_setting_is_declared() {
        SettingValues values = new SettingValues(key -> Optional.ofNullable(Map.of(
                "sync.target.max-in-flight", "65", "sync.cluster.checkin-interval-ms", "499", "sync.cluster.schema", "Quartz").get(key)));

        assertThat(values.problems()).containsExactlyInAnyOrder(
                "sync.target.max-in-flight must be a whole number between 1 and 64 (got '65'; " + Settings.MAX_IN_FLIGHT.doc() + ")",
                "sync.cluster.checkin-interval-ms must be a whole number of 500 or more (got '499'; " + Settings.CLUSTER_CHECKIN.doc() + ")",
                "sync.cluster.schema must be a lower-case Postgres name of letters, digits and _ (got 'Quartz'; "
                        + Settings.CLUSTER_SCHEMA.doc() + ")");
        assertThat(TableParameters.BATCH_SIZE.problem("100001")).isEqualTo("must be a whole number between 1 and 100000");
        assertThat(TableParameters.MODE.choices()).as("the modes SyncMode knows")
                .containsExactlyElementsOf(Stream.of(io.pgturso.source.SyncMode.values()).map(m -> m.name().toLowerCase()).toList());
    }

    /** The route template's parameters by name, in order, each as the YAML gives it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> templateParameters() throws IOException {
        Object routes = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(PROJECT.resolve("routes/table-sync.camel.yaml")));
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) ((List<Object>) routes).get(0)).get("routeTemplate");
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (Object p : (List<Object>) template.get("parameters")) {
            Map<String, Object> parameter = (Map<String, Object>) p;
            out.put((String) parameter.get("name"), parameter);
        }
        return out;
    }
}
