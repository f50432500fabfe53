package io.pgturso.app;

import io.pgturso.config.ConfigException;
import io.pgturso.config.PropertiesFile;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.pass.TableRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.LifecycleStrategy;

/** The Camel application: application.properties and routes/*.camel.yaml from one directory, the beans of {@link SyncConfiguration}. */
public final class SyncApplication implements AutoCloseable {
    private final Main main;

    private SyncApplication(Main main) {
        this.main = main;
    }

    /**
     * Starts Camel. With {@code scheduled} the Quartz schedules run and route files are watched; without, tables run
     * only when asked ({@link #runAllOnce}).
     */
    public static SyncApplication start(Path configDir, Map<String, String> env, boolean scheduled) {
        return start(configDir, env, scheduled, false, false);
    }

    /** As {@link #start(Path, Map, boolean)}; with {@code verbose} Camel's start-up summary lists every route. */
    public static SyncApplication start(Path configDir, Map<String, String> env, boolean scheduled, boolean verbose) {
        return start(configDir, env, scheduled, false, verbose);
    }

    /** Starts Camel for {@code plan}: no schedules, no start-up check, no route made, nothing created in the target or elsewhere. */
    public static SyncApplication startForPlan(Path configDir, Map<String, String> env) {
        return start(configDir, env, false, true, false, false);
    }

    /**
     * For commands that act through the beans only (status, verify, reset-checkpoint, ...): the settings, the tables and
     * the start-up check as {@link #start}, but no route is made or started (a fresh process saves their making).
     */
    public static SyncApplication startWithoutRoutes(Path configDir, Map<String, String> env, boolean verbose) {
        return start(configDir, env, false, false, verbose, false);
    }

    private static SyncApplication start(Path configDir, Map<String, String> env, boolean scheduled, boolean planOnly,
            boolean verbose) {
        return start(configDir, env, scheduled, planOnly, verbose, true);
    }

    private static SyncApplication start(Path configDir, Map<String, String> env, boolean scheduled, boolean planOnly,
            boolean verbose, boolean makeRoutes) {
        Path dir = configDirectory(configDir);
        Path properties = dir.resolve("application.properties");
        Path routes = dir.resolve("routes");
        Properties file = properties(dir);
        Main main = new Main() {
            @Override
            protected void configurePropertiesService(CamelContext camel) throws Exception {
                // Camel reads properties files as ISO-8859-1 unless told: editors write UTF-8
                camel.getPropertiesComponent().setEncoding(PropertiesFile.ENCODING);
                super.configurePropertiesService(camel);
            }
        };
        main.setPropertyPlaceholderLocations("file:" + properties);
        main.configure().withRoutesIncludePattern("file:" + routes + "/*.camel.yaml");
        main.configure().addConfiguration(new SyncConfiguration(dir, env, scheduled, planOnly));
        // Camel's summary prints property values, and a URL may hold a password: the start-up check logs a redacted one
        main.configure().setAutoConfigurationLogSummary(false);
        main.addOverrideProperty("camel.main.startup-summary-level", io.pgturso.cli.CommandLogging.startupSummary(verbose));
        if (planOnly) {
            // plan reads the settings and the catalogs only: no route runs, none is started
            main.configure().setAutoStartup(false);
        }
        if (scheduled) {
            HttpEndpoints.configure(main, file);
        }
        try {
            main.init();
            if (makeRoutes) {
                main.start();
            } else {
                TableRoutes.define(main.getCamelContext());
                for (LifecycleStrategy strategy : main.getCamelContext().getLifecycleStrategies()) {
                    if (strategy instanceof StartupCheck check) {
                        check.onContextInitialized(main.getCamelContext());
                    }
                }
            }
        } catch (Exception e) {
            closeQuietly(main);
            throw startFailure(e);
        }
        return new SyncApplication(main);
    }

    /** The configuration directory, absolute; refused when it lacks application.properties or routes/. */
    static Path configDirectory(Path configDir) {
        Path dir = configDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("application.properties"))) {
            throw new ConfigException("No application.properties in " + dir + " (run from the directory that holds it, or pass --config DIR)");
        }
        if (!Files.isDirectory(dir.resolve("routes"))) {
            throw new ConfigException("No routes/ directory in " + dir + " (it holds the *.camel.yaml route files)");
        }
        return dir;
    }

    /** application.properties of the directory, read once, as UTF-8 (refused at once when it is not). */
    static Properties properties(Path dir) {
        // Camel's reader would put U+FFFD in place of a bad byte
        return PropertiesFile.load(dir.resolve("application.properties"));
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    /** The configured tables. */
    public List<TableConfig> tables() {
        return camel().getRegistry().lookupByNameAndType("tables", TableRegistry.class).configs();
    }

    /** Runs every table's pass once; returns the route ids of the tables whose pass failed. */
    public List<String> runAllOnce() {
        List<String> failed = new ArrayList<>();
        for (TableConfig table : tables()) {
            if (!TableRunner.runOnce(camel(), table.routeId())) {
                failed.add(table.routeId());
            }
        }
        return failed;
    }

    /** Blocks until the JVM is asked to stop. */
    public void awaitShutdown() throws InterruptedException {
        Object lock = new Object();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            synchronized (lock) {
                lock.notifyAll();
            }
        }, "pg-turso-sync-shutdown"));
        synchronized (lock) {
            while (!camel().isStopped()) {
                lock.wait(1000);
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(main);
    }

    private static void closeQuietly(Main main) {
        try {
            main.stop();
            main.shutdown();
        } catch (Exception ignored) {
            // stopping after a failed start: the start failure is what gets reported
        }
    }

    private static RuntimeException startFailure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        return new ConfigException("Cannot start: " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
