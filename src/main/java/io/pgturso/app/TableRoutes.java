package io.pgturso.app;

import io.pgturso.config.ConfigException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.RouteTemplateParameterSource;

/**
 * The table routes' definitions ({@code camel.route-template[NAME].*}) without starting Camel: its start makes them
 * the same way, then creates every route, which commands that only use the beans do not need.
 */
final class TableRoutes {
    private TableRoutes() {
    }

    /** Adds each templated route's definition to the model; no route is created or started. */
    static void define(CamelContext camel) throws Exception {
        for (RouteTemplateParameterSource source : camel.getRegistry().findByType(RouteTemplateParameterSource.class)) {
            for (String routeId : source.routeIds()) {
                Map<String, Object> parameters = new HashMap<>(source.parameters(routeId));
                Object templateId = parameters.remove("templateId");
                if (templateId == null) {
                    templateId = parameters.remove("template-id");
                }
                if (templateId == null) {
                    throw new ConfigException("camel.route-template[" + routeId + "].template-id is missing (table-sync for a table)");
                }
                camel.addRouteFromTemplate(routeId, templateId.toString(), parameters);
            }
        }
    }
}
