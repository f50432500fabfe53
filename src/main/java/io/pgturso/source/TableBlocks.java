package io.pgturso.source;

import java.util.Map;
import java.util.Optional;

/**
 * Where the tables are configured: the route template instances ({@code camel.route-template[NAME].*} merged with their
 * template's parameter defaults) and the endpoints the routes read from. Read from Camel's model when Camel runs, from
 * the files alike when a command starts no Camel.
 */
public interface TableBlocks {
    /** Each templated route's parameters (defaults under both camelCase and kebab-case names), by route id, in route order. */
    Map<String, Map<String, Object>> instances();

    /** Expands the property placeholders of a parameter's value. */
    String resolvePlaceholders(String text);

    /** A property's value as application.properties and the environment give it. */
    Optional<String> property(String key);

    /** Whether a route reads from this endpoint (compared without options). */
    boolean consumed(String uri);
}
