package io.pgturso.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A database per tenant: the target URL template, the control database (the sync's state and the tables without
 * fan-out), how many tenant databases stay open, and how new ones are created on Turso (the Platform API).
 */
public record FanOutSettings(TargetTemplate template, TargetUrl control, int maxOpen, Duration idleClose, int batchSize,
        String org, String group, String seed, String apiToken, String apiUrl) {

    /** Reads them; null when {@code sync.target.url} (or TURSO_DATABASE_URL) names no {@code {tenant}}. */
    public static FanOutSettings read(Function<String, Optional<String>> property, Map<String, String> env, Path baseDir) {
        SettingValues values = new SettingValues(property);
        String url = firstOf(env.get("TURSO_DATABASE_URL"), values.text(Settings.TARGET_URL));
        if (!TargetTemplate.isTemplate(url)) {
            return null;
        }
        TargetTemplate template = TargetTemplate.parse(url, baseDir);
        String controlUrl = values.text(Settings.FAN_OUT_CONTROL_URL);
        TargetUrl control = controlUrl == null || controlUrl.isBlank() ? template.urlFor(TargetTemplate.CONTROL_NAME)
                : TargetUrl.parse(controlUrl, baseDir);
        return new FanOutSettings(template, control, values.integer(Settings.FAN_OUT_MAX_OPEN),
                Duration.ofMillis(values.number(Settings.FAN_OUT_IDLE_MS)), values.integer(Settings.FAN_OUT_BATCH_SIZE),
                blankToNull(values.text(Settings.FAN_OUT_ORG)), blankToNull(values.text(Settings.FAN_OUT_GROUP)),
                blankToNull(values.text(Settings.FAN_OUT_SEED)),
                blankToNull(firstOf(env.get("TURSO_API_TOKEN"), values.text(Settings.FAN_OUT_API_TOKEN))),
                values.text(Settings.FAN_OUT_API_URL));
    }

    /** The control database's URL as {@link ConnectionSettings} should use it, or {@code url} itself when it is no template. */
    static String controlUrl(String url, Function<String, Optional<String>> property) {
        if (!TargetTemplate.isTemplate(url)) {
            return url;
        }
        String control = new SettingValues(property).text(Settings.FAN_OUT_CONTROL_URL);
        return control == null || control.isBlank() ? url.replace(TargetTemplate.PLACEHOLDER, TargetTemplate.CONTROL_NAME) : control;
    }

    /** Whether the control database is the default one, named after the template (then created like a tenant's). */
    public boolean controlFromTemplate() {
        return control.equals(template.urlFor(TargetTemplate.CONTROL_NAME));
    }

    /**
     * Checks what creating tenant databases needs: on Turso, the organization, the group and the Platform API token.
     * Returns the problems, each naming the setting to fix.
     */
    public java.util.List<String> problems() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!template.isFile()) {
            if (org == null) {
                out.add("sync.fan-out.org is not set: name the Turso organization where tenant databases are created");
            }
            if (group == null) {
                out.add("sync.fan-out.group is not set: name the Turso group of the tenant databases (its token, TURSO_AUTH_TOKEN, opens them all)");
            }
            if (apiToken == null) {
                out.add("TURSO_API_TOKEN (or sync.fan-out.api-token) is not set: a Platform API token creates the tenant databases");
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    @Override
    public String toString() {
        return "tenants " + template + ", control " + control;
    }
}
