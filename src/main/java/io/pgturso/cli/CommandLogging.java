package io.pgturso.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps a command's output to its own lines: Camel's start-up log and the sync's info lines show only with
 * {@code --verbose}; warnings and errors always do. {@code run} keeps the sync's info lines and Camel's one-line start.
 * The levels are given back when the command ends.
 */
public final class CommandLogging implements AutoCloseable {
    private final Map<Logger, Level> saved = new LinkedHashMap<>();

    private CommandLogging() {
    }

    /** Sets the loggers for {@code command}; nothing changes with {@code verbose}, or when logback is not the logger. */
    public static CommandLogging forCommand(String command, boolean verbose) {
        CommandLogging logging = new CommandLogging();
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (verbose || !(factory instanceof LoggerContext context)) {
            return logging;
        }
        logging.set(context, "org.apache.camel.main", Level.WARN);
        if (!command.equals("run")) {
            logging.set(context, "org.apache.camel.impl.engine.AbstractCamelContext", Level.WARN);
            logging.set(context, "io.pgturso", Level.WARN);
        }
        return logging;
    }

    /** Whether Camel's start-up summary lists every route ({@code --verbose}) or is one line. */
    public static String startupSummary(boolean verbose) {
        return verbose ? "Default" : "Oneline";
    }

    private void set(LoggerContext context, String name, Level level) {
        Logger logger = context.getLogger(name);
        saved.put(logger, logger.getLevel());
        logger.setLevel(level);
    }

    @Override
    public void close() {
        saved.forEach(Logger::setLevel);
    }
}
