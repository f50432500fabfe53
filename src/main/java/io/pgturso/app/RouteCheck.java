package io.pgturso.app;

import ch.qos.logback.classic.Level;
import io.pgturso.pass.StepSqlComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.NoSuchBeanException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.AbstractCamelContext;
import org.apache.camel.spi.BeanRepository;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.apache.camel.support.DefaultRegistry;
import org.apache.camel.support.PluginHelper;
import org.slf4j.LoggerFactory;

/**
 * Tries route files in a throwaway Camel context before they replace the running routes: parses them, makes every
 * table's route from the template and builds every route (beans, endpoints) without starting any.
 */
final class RouteCheck {
    private static final Pattern FILE_LINE = Pattern.compile("([\\w./-]+\\.ya?ml)[:, ]+(?:line )?(\\d+)");

    private RouteCheck() {
    }

    /** The first problem of the files, or null when they would load and build. */
    static ReloadState.Failure check(CamelContext running, List<Resource> files, Path routesDir) {
        DefaultCamelContext check = new DefaultCamelContext(false);
        try {
            check.getCamelContextExtension().setName("route-check");
            check.getCamelContextExtension().setRegistry(new DefaultRegistry(new RunningBeans(running.getRegistry())));
            check.getPropertiesComponent().addPropertiesSource(new RunningProperties(running));
            check.setAutoStartup(false);
            QuartzComponent quartz = new QuartzComponent();
            quartz.setAutoStartScheduler(false);
            check.addComponent("quartz", quartz);
            for (String name : running.getComponentNames()) {
                // the preset sql components (source-sql:, target-sql:), each the check's own, on the running DataSources
                if (running.getComponent(name) instanceof StepSqlComponent sql) {
                    check.addComponent(name, sql.copy());
                }
            }
            PluginHelper.getRoutesLoader(check).loadRoutes(files);
            addTableRoutes(running.getRegistry(), check);
            startQuietly(check);
            return null;
        } catch (Exception e) {
            return failure(e, routesDir);
        } finally {
            try {
                check.stop();
                check.close();
            } catch (Exception ignored) {
                // the throwaway context holds nothing worth reporting
            }
        }
    }

    /** Makes each table's route that {@code into} lacks from its template parameters (camel.route-template[NAME].*). */
    static void addTableRoutes(Registry parameters, CamelContext into) throws Exception {
        for (RouteTemplateParameterSource source : parameters.findByType(RouteTemplateParameterSource.class)) {
            for (String routeId : source.routeIds()) {
                if (into.getRoute(routeId) == null) {
                    Map<String, Object> params = new HashMap<>(source.parameters(routeId));
                    Object templateId = params.remove(RouteTemplateParameterSource.TEMPLATE_ID);
                    if (templateId == null) {
                        templateId = params.remove("template-id");
                    }
                    into.addRouteFromTemplate(routeId, String.valueOf(templateId), params);
                }
            }
        }
    }

    /** Builds every route (endpoints started, consumers not); the failure is reported by the caller, not also logged by Camel. */
    private static void startQuietly(CamelContext check) {
        org.slf4j.Logger camelLog = LoggerFactory.getLogger(AbstractCamelContext.class);
        if (!(camelLog instanceof ch.qos.logback.classic.Logger logger)) {
            check.start();
            return;
        }
        Level level = logger.getLevel();
        logger.setLevel(Level.OFF);
        try {
            check.start();
        } finally {
            logger.setLevel(level);
        }
    }

    /** The problem, with the file and line at fault: from the parser's message, else where the unknown name is written. */
    static ReloadState.Failure failure(Exception e, Path routesDir) {
        String message = rootMessage(e);
        // a parser names the file and line (the last one named is where it found the problem)
        Matcher at = FILE_LINE.matcher(allMessages(e));
        String file = null;
        int line = 0;
        while (at.find()) {
            file = Path.of(at.group(1)).getFileName().toString();
            line = Integer.parseInt(at.group(2));
        }
        if (file != null) {
            return new ReloadState.Failure(file, line, message.replaceAll(" in file:\\S+", ""), Instant.now());
        }
        for (String unknown : unknownNames(e)) {
            try (var files = Files.list(routesDir)) {
                for (Path path : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    List<String> lines = Files.readAllLines(path);
                    for (int i = 0; i < lines.size(); i++) {
                        if (lines.get(i).contains(unknown)) {
                            return new ReloadState.Failure(path.getFileName().toString(), i + 1, message, Instant.now());
                        }
                    }
                }
            } catch (IOException ignored) {
                // the message alone still says what is wrong
            }
        }
        return new ReloadState.Failure(routesDir.getFileName().toString(), 0, message, Instant.now());
    }

    /** The bean or endpoint the files name that does not exist, as it may be written in them (most exact first). */
    private static List<String> unknownNames(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchBeanException b && b.getName() != null) {
                return List.of(b.getName());
            }
            String uri = t instanceof ResolveEndpointFailedException r ? r.getUri() : t instanceof NoSuchEndpointException n ? n.getUri() : null;
            if (uri != null) {
                String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':') + 1) : uri;
                return List.of(uri, uri.replaceFirst("://", ":"), scheme);
            }
        }
        return List.of();
    }

    private static String allMessages(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append('\n');
        }
        return out.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    /** The running application's beans, looked up only: never bound to, stopped or closed by the throwaway context. */
    private record RunningBeans(Registry running) implements BeanRepository {
        @Override
        public Object lookupByName(String name) {
            return running.lookupByName(name);
        }

        @Override
        public <T> T lookupByNameAndType(String name, Class<T> type) {
            return running.lookupByNameAndType(name, type);
        }

        @Override
        public <T> Map<String, T> findByTypeWithName(Class<T> type) {
            return running.findByTypeWithName(type);
        }

        @Override
        public <T> java.util.Set<T> findByType(Class<T> type) {
            return running.findByType(type);
        }
    }

    /** The running application's properties, for the placeholders of the files under check. */
    private record RunningProperties(CamelContext running) implements org.apache.camel.spi.PropertiesSource {
        @Override
        public String getName() {
            return "running-application";
        }

        @Override
        public String getProperty(String name) {
            return running.getPropertiesComponent().resolveProperty(name).orElse(null);
        }
    }
}
