package io.pgturso.app;

import io.pgturso.source.TableBlocks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

/** The tables as Camel's model holds them once the route templates are instantiated (the commands that run passes). */
final class CamelTableBlocks implements TableBlocks {
    private final CamelContext camel;

    CamelTableBlocks(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public Map<String, Map<String, Object>> instances() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (RouteDefinition route : ((ModelCamelContext) camel).getRouteDefinitions()) {
            if (route.isCreatedFromTemplate() && route.getTemplateParameters() != null) {
                out.put(route.getRouteId(), route.getTemplateParameters());
            }
        }
        return out;
    }

    @Override
    public String resolvePlaceholders(String text) {
        return camel.resolvePropertyPlaceholders(text);
    }

    @Override
    public Optional<String> property(String key) {
        return camel.getPropertiesComponent().resolveProperty(key);
    }

    @Override
    public boolean consumed(String uri) {
        String plain = uri.split("\\?", 2)[0];
        return ((ModelCamelContext) camel).getRouteDefinitions().stream()
                .anyMatch(r -> r.getInput() != null && r.getInput().getEndpointUri().split("\\?", 2)[0].equals(plain));
    }
}
