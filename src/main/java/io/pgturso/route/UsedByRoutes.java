package io.pgturso.route;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called by name from a route file, as a bean step's {@code method:} or a getter the simple language reads
 * ({@code ${variable.pass.more}} calls {@code isMore()}): renaming it breaks that route, which no compiler sees (a
 * test checks that every bean method the route files call is marked so).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface UsedByRoutes {
    /** The route file and how it calls it, e.g. {@code "table-sync: ${variable.pass.more}"}. */
    String value();
}
