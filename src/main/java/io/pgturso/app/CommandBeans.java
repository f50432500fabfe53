package io.pgturso.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgturso.cdc.apply.CdcWiring;
import io.pgturso.config.PlainProperties;
import io.pgturso.config.PropertiesCheck;
import io.pgturso.config.SettingValues;
import io.pgturso.source.TableRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans of a command that runs no pass (status, verify, plan, reset-checkpoint, cdc-uninstall, drop-tenant), made
 * without Camel from the same files and by the same classes: a fresh process then skips Camel's start. A configuration
 * the plain reader leaves to Camel ({@link NeedsCamel}) starts Camel without routes, as before.
 */
public final class CommandBeans implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandBeans.class);

    private final Registry registry;
    private final SyncBeans beans;
    private final SyncApplication camel;

    private CommandBeans(Registry registry, SyncBeans beans, SyncApplication camel) {
        this.registry = registry;
        this.beans = beans;
        this.camel = camel;
    }

    /**
     * Reads the configuration and makes the beans; unless {@code planOnly}, runs the start-up check as {@code run} does
     * (so bad settings stop the command with the same message).
     */
    public static CommandBeans open(Path configDir, Map<String, String> env, boolean planOnly, boolean verbose) {
        try {
            return withoutCamel(configDir, env, planOnly);
        } catch (NeedsCamel e) {
            LOG.debug("Starting Camel to read the configuration: {}", e.getMessage());
            SyncApplication app = planOnly ? SyncApplication.startForPlan(configDir, env)
                    : SyncApplication.startWithoutRoutes(configDir, env, verbose);
            return new CommandBeans(app.camel().getRegistry(), null, app);
        }
    }

    /** The beans without Camel, or {@link NeedsCamel} before any is made. */
    static CommandBeans withoutCamel(Path configDir, Map<String, String> env, boolean planOnly) {
        Path dir = SyncApplication.configDirectory(configDir);
        PlainProperties properties = new PlainProperties(SyncApplication.properties(dir));
        FileTableBlocks blocks;
        SettingValues values;
        try {
            blocks = FileTableBlocks.read(properties, RouteFiles.read(dir.resolve("routes")));
            values = PropertiesCheck.apply(properties);
            blocks.expandAll();
        } catch (PlainProperties.Unsupported e) {
            throw new NeedsCamel(e.getMessage());
        }
        SyncBeans beans = new SyncBeans(values, properties::resolveProperty, env, dir, blocks, new SimpleMeterRegistry(), false);
        try {
            SimpleRegistry registry = new SimpleRegistry();
            beans.bind(registry);
            registry.bind("cdcAdmin", CdcWiring.admin(beans.cdcOptions, beans.tables, beans.settings.source(),
                    DataSources.lockSessions(beans.settings.source()), beans.targetJdbc, beans.tenantDatabases));
            if (!planOnly) {
                beans.startupCheck().run();
            }
            return new CommandBeans(registry, beans, null);
        } catch (RuntimeException e) {
            beans.close();
            throw e;
        }
    }

    /** The beans by the names the routes use ({@code tables}, {@code source}, {@code target}, ...). */
    public Registry registry() {
        return registry;
    }

    /** The configured tables. */
    public TableRegistry tables() {
        return registry.lookupByNameAndType("tables", TableRegistry.class);
    }

    /** Whether Camel was started (a configuration the plain reader leaves to it). */
    boolean startedCamel() {
        return camel != null;
    }

    @Override
    public void close() {
        if (camel != null) {
            camel.close();
        } else {
            beans.close();
        }
    }
}
