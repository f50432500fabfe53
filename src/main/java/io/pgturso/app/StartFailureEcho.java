package io.pgturso.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/** Drops Camel's echo of a refused start ("Lifecycle strategy ... failed initializing"): the command prints the message once itself. */
public class StartFailureEcho extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return format != null && format.startsWith("Lifecycle strategy") && format.contains("failed initializing")
                && logger.getName().endsWith("AbstractCamelContext") ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
