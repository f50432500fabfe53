package io.pgturso.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The sync's logging, set in code: an XML file's parser and model cost a command's start a tenth of a second. A
 * {@code logback.configurationFile} given to the JVM, or a {@code logback-test.xml} on the class path, still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    private static final Map<String, Level> LEVELS = Map.of(
            "io.pgturso", Level.INFO,
            "org.apache.camel", Level.WARN,
            "org.apache.camel.main", Level.INFO,
            "org.apache.camel.impl.engine.AbstractCamelContext", Level.INFO,
            "com.zaxxer.hikari", Level.WARN,
            // a connection lost in an outage is reported by the pass that meets it, without the pool's stack trace
            "com.zaxxer.hikari.pool.ProxyConnection", Level.ERROR,
            "org.quartz", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // a refused start is printed once, by the command, not echoed by Camel too
        StartFailureEcho echo = new StartFailureEcho();
        echo.setContext(context);
        echo.start();
        context.addTurboFilter(echo);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %-22logger{0} %msg%n");
        encoder.start();
        // logs go to stderr, so the output of status, verify and replay can be piped
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
