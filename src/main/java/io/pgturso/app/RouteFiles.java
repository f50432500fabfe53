package io.pgturso.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.camel.util.StringHelper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The route files (routes/*.camel.yaml) as the commands that run no pass need them, read as plain YAML: each route
 * template's parameters and the endpoints routes read from. Anything else than routes, route templates and route
 * configurations is {@link NeedsCamel}.
 */
final class RouteFiles {
    /** A route template's parameter: its default (null: none), and whether an instance must set it. */
    record Parameter(String name, String defaultValue, boolean required) {
    }

    /** A route template: its parameters and the endpoint its routes read from. */
    record Template(String id, List<Parameter> parameters, String input) {
    }

    private final Map<String, Template> templates;
    private final List<String> inputs;

    private RouteFiles(Map<String, Template> templates, List<String> inputs) {
        this.templates = templates;
        this.inputs = inputs;
    }

    /** The template of this id, or null. */
    Template template(String id) {
        return templates.get(id);
    }

    /** The endpoints the plain routes read from, as written. */
    List<String> inputs() {
        return inputs;
    }

    /** Reads every {@code *.camel.yaml} file of the directory (not its subdirectories), as Camel's route pattern selects them. */
    static RouteFiles read(Path dir) {
        Map<String, Template> templates = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        TreeSet<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*.camel.yaml")) {
            found.forEach(files::add);
        } catch (IOException e) {
            throw new NeedsCamel("cannot list " + dir + ": " + e.getMessage());
        }
        for (Path file : files) {
            for (Object document : documents(file)) {
                if (document == null) {
                    continue;
                }
                if (!(document instanceof List<?> elements)) {
                    throw new NeedsCamel(file + ": not a list of routes");
                }
                for (Object element : elements) {
                    read(file, element, templates, inputs);
                }
            }
        }
        return new RouteFiles(templates, inputs);
    }

    private static Iterable<Object> documents(Path file) {
        try {
            return new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            // Camel's loader words the error and names the file
            throw new NeedsCamel(file + ": " + e.getMessage());
        }
    }

    private static void read(Path file, Object element, Map<String, Template> templates, List<String> inputs) {
        if (!(element instanceof Map<?, ?> one) || one.size() != 1) {
            throw new NeedsCamel(file + ": an element that is not one route, template or configuration");
        }
        Map.Entry<?, ?> entry = one.entrySet().iterator().next();
        String kind = StringHelper.dashToCamelCase(String.valueOf(entry.getKey()));
        switch (kind) {
            case "routeConfiguration" -> {
                // error handling and interceptors: nothing a command without passes reads
            }
            case "route" -> inputs.add(input(file, map(file, entry.getValue()).get("from")));
            case "from" -> inputs.add(input(file, entry.getValue()));
            case "routeTemplate" -> {
                Template template = template(file, map(file, entry.getValue()));
                if (templates.putIfAbsent(template.id(), template) != null) {
                    throw new NeedsCamel(file + ": route template " + template.id() + " defined twice");
                }
            }
            default -> throw new NeedsCamel(file + ": " + kind);
        }
    }

    private static Template template(Path file, Map<?, ?> body) {
        Object id = body.get("id");
        if (id == null) {
            throw new NeedsCamel(file + ": a route template without id");
        }
        List<Parameter> parameters = new ArrayList<>();
        Object declared = body.get("parameters");
        if (declared != null) {
            if (!(declared instanceof List<?> list)) {
                throw new NeedsCamel(file + ": parameters of " + id + " are not a list");
            }
            for (Object p : list) {
                Map<?, ?> parameter = map(file, p);
                Object name = parameter.get("name");
                if (name == null) {
                    throw new NeedsCamel(file + ": a parameter of " + id + " without name");
                }
                Object defaultValue = parameter.containsKey("defaultValue") ? parameter.get("defaultValue")
                        : parameter.get("default-value");
                Object required = parameter.get("required");
                parameters.add(new Parameter(name.toString(), defaultValue == null ? null : defaultValue.toString(),
                        required == null || Boolean.parseBoolean(required.toString())));
            }
        }
        Object route = body.get("route");
        Object from = route != null ? map(file, route).get("from") : body.get("from");
        return new Template(id.toString(), List.copyOf(parameters), input(file, from));
    }

    private static String input(Path file, Object from) {
        Object uri = from instanceof Map<?, ?> m ? m.get("uri") : null;
        if (uri == null) {
            throw new NeedsCamel(file + ": a route without from.uri");
        }
        return uri.toString();
    }

    private static Map<?, ?> map(Path file, Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new NeedsCamel(file + ": expected a mapping, found " + value);
        }
        return m;
    }
}
