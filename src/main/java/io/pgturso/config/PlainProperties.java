package io.pgturso.config;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.util.IOHelper;

/**
 * application.properties read as Camel's properties component reads it, for commands that start no Camel: a setting's
 * environment variable ({@code sync.batch-size}: {@code SYNC_BATCH_SIZE}) wins, then a system property, then the file;
 * placeholders {@code {{name}}}, {@code {{name:default}}}, {@code {{env:NAME}}} and {@code {{sys:name}}} are expanded.
 * Anything else Camel's placeholders can do is refused with {@link Unsupported}: the caller then starts Camel.
 */
public final class PlainProperties {
    private static final String START = "{{";
    private static final String END = "}}";
    private static final int MAX_DEPTH = 20;

    private final Properties file;
    private final Map<String, String> overrides = new ConcurrentHashMap<>();

    public PlainProperties(Properties file) {
        this.file = file;
    }

    /** A placeholder or value this reader does not expand as Camel would: only Camel can be trusted with it. */
    public static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    /** The keys of the file, in its order. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        file.keySet().forEach(k -> keys.add(k.toString()));
        return keys;
    }

    /** The file's own value of a key, placeholders unexpanded (null when the file lacks it). */
    public String raw(String key) {
        return file.getProperty(key);
    }

    /** As Camel's {@code addOverrideProperty}: the value wins over every source. */
    public void addOverride(String key, String value) {
        overrides.put(key, value);
    }

    /** The key's value with its placeholders expanded; empty when no source has it. */
    public Optional<String> resolveProperty(String key) {
        String value = lookup(key);
        return value == null ? Optional.empty() : Optional.of(expand(value, 0));
    }

    /** Expands every placeholder of {@code text}. */
    public String resolvePlaceholders(String text) {
        return expand(text, 0);
    }

    private String lookup(String key) {
        String value = overrides.get(key);
        if (value == null) {
            value = IOHelper.lookupEnvironmentVariable(key);
        }
        if (value == null) {
            value = System.getProperty(key);
        }
        return value == null ? file.getProperty(key) : value;
    }

    private String expand(String text, int depth) {
        if (text == null || !text.contains(START)) {
            return text;
        }
        if (depth > MAX_DEPTH) {
            throw new Unsupported("placeholders nested too deep in '" + text + "'");
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int open = text.indexOf(START, from);
            if (open < 0) {
                out.append(text, from, text.length());
                return out.toString();
            }
            int close = text.indexOf(END, open + START.length());
            if (close < 0 || (open > 0 && text.charAt(open - 1) == '\\')) {
                throw new Unsupported("placeholder without end in '" + text + "'");
            }
            String inside = text.substring(open + START.length(), close);
            if (inside.contains(START) || inside.isEmpty() || "?!&|".indexOf(inside.charAt(0)) >= 0) {
                throw new Unsupported("placeholder '" + inside + "'");
            }
            out.append(text, from, open).append(expand(placeholder(inside), depth + 1));
            from = close + END.length();
        }
    }

    /** One placeholder's value (still to expand): a function ({@code env:}, {@code sys:}) or a key with an optional default. */
    private String placeholder(String inside) {
        int colon = inside.indexOf(':');
        String name = colon < 0 ? inside : inside.substring(0, colon);
        String fallback = colon < 0 ? null : inside.substring(colon + 1);
        String value;
        if (colon >= 0 && name.equals("env")) {
            value = function(fallback, IOHelper::lookupEnvironmentVariable);
        } else if (colon >= 0 && name.equals("sys")) {
            value = function(fallback, System::getProperty);
        } else if (colon >= 0 && !name.contains(".") && lookup(name) == null) {
            // Camel's other functions (bean:, ref:, service: ...) look like a key without dots and a default
            throw new Unsupported("placeholder '" + inside + "'");
        } else {
            value = lookup(name);
            if (value == null) {
                value = fallback;
            }
        }
        if (value == null) {
            // Camel's own message names the missing key: it gives it when the command starts it
            throw new Unsupported("no value for '" + name + "'");
        }
        return value;
    }

    private static String function(String argument, java.util.function.UnaryOperator<String> source) {
        int colon = argument.indexOf(':');
        String key = colon < 0 ? argument : argument.substring(0, colon);
        String value = source.apply(key);
        return value != null ? value : colon < 0 ? null : argument.substring(colon + 1);
    }
}
