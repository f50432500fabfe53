package io.pgturso.app;

import io.pgturso.config.PlainProperties;
import io.pgturso.source.TableBlocks;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.util.StringHelper;

/**
 * The tables as Camel's model would hold them, read from application.properties and the route files without Camel:
 * each {@code camel.route-template[NAME].*} block (names in camelCase, as Camel Main turns them) over its template's
 * parameter defaults. What Camel would refuse or read otherwise
 * (an unknown {@code camel.*} key, a missing template or parameter) is {@link NeedsCamel}.
 */
final class FileTableBlocks implements TableBlocks {
    /** Camel's own settings the shipped configuration uses, which change nothing a command without passes does. */
    private static final Set<String> CAMEL_KEYS_READ_BY_RUN = Set.of("camel.main.name", "camel.main.shutdown-timeout",
            "camel.main.shutdownTimeout");
    private static final List<String> TEMPLATE_PREFIXES = List.of("camel.route-template[", "camel.routeTemplate[");

    private final PlainProperties properties;
    private final Map<String, Map<String, Object>> instances;
    private final List<String> inputs;

    private FileTableBlocks(PlainProperties properties, Map<String, Map<String, Object>> instances, List<String> inputs) {
        this.properties = properties;
        this.instances = instances;
        this.inputs = inputs;
    }

    static FileTableBlocks read(PlainProperties properties, RouteFiles routes) {
        Map<String, Map<String, Object>> blocks = new LinkedHashMap<>();
        for (String key : properties.keys()) {
            String prefix = TEMPLATE_PREFIXES.stream().filter(key::startsWith).findFirst().orElse(null);
            if (prefix == null) {
                if (key.startsWith("camel.") && !CAMEL_KEYS_READ_BY_RUN.contains(key)) {
                    throw new NeedsCamel("Camel setting " + key);
                }
                continue;
            }
            int close = key.indexOf("].", prefix.length());
            if (close < 0) {
                throw new NeedsCamel("key " + key);
            }
            String routeId = key.substring(prefix.length(), close);
            String parameter = StringHelper.dashToCamelCase(key.substring(close + 2));
            blocks.computeIfAbsent(routeId, id -> new LinkedHashMap<>()).put(parameter, properties.raw(key));
        }
        List<String> inputs = new java.util.ArrayList<>(routes.inputs());
        Map<String, Map<String, Object>> instances = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> block : blocks.entrySet()) {
            Map<String, Object> given = new HashMap<>(block.getValue());
            Object templateId = given.remove("templateId");
            RouteFiles.Template template = templateId == null ? null : routes.template(templateId.toString());
            if (template == null) {
                throw new NeedsCamel("route " + block.getKey() + " names no template of the route files");
            }
            instances.put(block.getKey(), parameters(block.getKey(), template, given));
            inputs.add(template.input());
        }
        return new FileTableBlocks(properties, instances, List.copyOf(inputs));
    }

    /**
     * Expands every parameter's value once (after the settings' defaults are in): a placeholder this reader cannot
     * expand is {@link PlainProperties.Unsupported} now, before any bean is made, rather than in the middle of a command.
     */
    void expandAll() {
        instances.values().forEach(p -> p.values().forEach(v -> properties.resolvePlaceholders(String.valueOf(v))));
    }

    /** The template's defaults, then the block's values, each under its name and its kebab-case name (as Camel merges them). */
    private static Map<String, Object> parameters(String routeId, RouteFiles.Template template, Map<String, Object> given) {
        Map<String, Object> merged = new HashMap<>();
        for (RouteFiles.Parameter parameter : template.parameters()) {
            if (parameter.defaultValue() != null) {
                put(merged, parameter.name(), parameter.defaultValue());
            } else if (parameter.required() && !given.containsKey(parameter.name())) {
                throw new NeedsCamel("route " + routeId + " lacks parameter " + parameter.name());
            }
        }
        given.forEach((name, value) -> put(merged, name, value));
        return merged;
    }

    private static void put(Map<String, Object> parameters, String name, Object value) {
        parameters.put(name, value);
        parameters.put(StringHelper.camelCaseToDash(name), value);
    }

    @Override
    public Map<String, Map<String, Object>> instances() {
        return instances;
    }

    @Override
    public String resolvePlaceholders(String text) {
        return properties.resolvePlaceholders(text);
    }

    @Override
    public Optional<String> property(String key) {
        return properties.resolveProperty(key);
    }

    @Override
    public boolean consumed(String uri) {
        String plain = uri.split("\\?", 2)[0];
        return inputs.stream().anyMatch(input -> input.split("\\?", 2)[0].equals(plain));
    }
}
