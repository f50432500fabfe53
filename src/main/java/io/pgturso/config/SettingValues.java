package io.pgturso.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The values of the {@link Settings} as configured, each checked and falling back to its default. */
public final class SettingValues {
    private final Function<String, Optional<String>> lookup;

    /** {@code lookup} reads application.properties (blank counts as unset). */
    public SettingValues(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** The configured value, else the default (null when the setting has none); a bad value is a {@link ConfigException}. */
    public String text(Setting setting) {
        String value = lookup.apply(setting.name()).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (value == null) {
            return setting.defaultValue();
        }
        String problem = setting.problem(value);
        if (problem != null) {
            throw new ConfigException(setting.name() + " " + problem + " (got '" + setting.shown(value) + "'; " + setting.doc() + ")");
        }
        return value;
    }

    public boolean bool(Setting setting) {
        return Boolean.parseBoolean(text(setting));
    }

    public long number(Setting setting) {
        return Long.parseLong(text(setting));
    }

    public int integer(Setting setting) {
        long n = number(setting);
        if (n > Integer.MAX_VALUE) {
            throw new ConfigException(setting.name() + " must be at most " + Integer.MAX_VALUE + " (got " + n + ")");
        }
        return (int) n;
    }

    /** Checks every declared setting; returns one message per bad value. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Setting setting : Settings.all()) {
            try {
                text(setting);
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** One message per {@code sync.*} key that no setting declares (a typo must not be silently ignored). */
    public static List<String> unknownKeys(Collection<String> keys) {
        List<String> problems = new ArrayList<>();
        for (String key : keys.stream().sorted().toList()) {
            if (key.startsWith("sync.") && Settings.named(key) == null) {
                problems.add("Unknown setting " + key + closest(key) + " (the settings are listed in README.md)");
            }
        }
        return problems;
    }

    private static String closest(String key) {
        Setting best = Settings.all().stream().min(Comparator.comparingInt(s -> distance(s.name(), key))).orElse(null);
        return best != null && distance(best.name(), key) <= Math.max(3, key.length() / 4) ? ": did you mean " + best.name() + "?" : "";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
