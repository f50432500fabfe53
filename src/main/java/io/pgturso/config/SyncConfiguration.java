package io.pgturso.config;

import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.deadletter.DeadLetterReplay;
import io.pgturso.deadletter.DeadLetterStore;
import io.pgturso.deadletter.DeadLetters;
import io.pgturso.sync.CheckpointStore;
import io.pgturso.sync.Horizon;
import io.pgturso.sync.PageRows;
import io.pgturso.sync.PageRowMapper;
import io.pgturso.sync.PositionalParameters;
import io.pgturso.sync.TransformRow;
import io.pgturso.sync.SourceCatalog;
import io.pgturso.sync.SyncFailures;
import io.pgturso.sync.TableRegistry;
import io.pgturso.sync.TableSync;
import io.pgturso.sync.TargetSchema;
import io.pgturso.verify.DeleteReconciliation;
import io.pgturso.verify.TableComparison;
import io.pgturso.verify.VerifySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;

/** Registers the beans the routes call: the two DataSources ({@code #source}, {@code #target}) and one bean per job. */
public class SyncConfiguration implements CamelConfiguration {
    private final Path configDir;
    private final Map<String, String> env;
    private final boolean watchRoutes;

    public SyncConfiguration(Path configDir, Map<String, String> env, boolean watchRoutes) {
        this.configDir = configDir;
        this.env = env;
        this.watchRoutes = watchRoutes;
    }

    /** Pages written at once to a remote target unless sync.target.max-in-flight says otherwise. */
    static final int DEFAULT_MAX_IN_FLIGHT = 4;

    @Override
    public void configure(CamelContext camel) throws Exception {
        PropertiesComponent properties = camel.getPropertiesComponent();
        SyncSettings settings = SyncSettings.read(properties::resolveProperty, env, configDir);
        if (settings.target().isFile()) {
            Files.createDirectories(Path.of(settings.target().jdbcUrl().substring("jdbc:sqlite:".length())).toAbsolutePath().getParent());
        }
        HikariDataSource source = DataSources.source(settings.source(), settings.sourcePoolSize());
        HikariDataSource target = DataSources.target(settings.target(), settings.targetAuthToken(), settings.targetPoolSize());
        JdbcTemplate targetJdbc = new JdbcTemplate(target);
        SourceCatalog catalog = new SourceCatalog(source);
        TableRegistry tables = new TableRegistry(camel, catalog, settings.numericAsText(),
                number(properties, "sync.max-value-bytes", 16L << 20));
        CheckpointStore checkpoints = new CheckpointStore(targetJdbc);
        Horizon horizon = new Horizon(new JdbcTemplate(source), bool(properties, "sync.horizon.enabled", true),
                number(properties, "sync.horizon.safety-lag-ms", 0), number(properties, "sync.horizon.fallback-lag-ms", 300_000));
        DeadLetterStore deadLetterStore = new DeadLetterStore(targetJdbc);

        Registry registry = camel.getRegistry();
        registry.bind("settings", settings);
        registry.bind("source", source);
        registry.bind("target", target);
        registry.bind("tables", tables);
        registry.bind("checkpoints", checkpoints);
        registry.bind("deadLetterStore", deadLetterStore);
        registry.bind("syncFailures", new SyncFailures());
        registry.bind("pageRows", new PageRows());
        registry.bind("positionalParameters", new PositionalParameters());
        registry.bind("transformRow", new TransformRow());
        registry.bind("pageRowMapper", new PageRowMapper());
        TableSync tableSync = new TableSync(tables, new TargetSchema(targetJdbc), checkpoints, deadLetterStore, horizon);
        tableSync.setMaxInFlight(settings.target().isFile() ? 1 : maxInFlight(properties));
        registry.bind("tableSync", tableSync);
        registry.bind("deadLetters", new DeadLetters(deadLetterStore));
        registry.bind("deadLetterReplay", new DeadLetterReplay(tables, deadLetterStore));
        VerifySettings verify = VerifySettings.read(properties::resolveProperty);
        registry.bind("tableComparison", new TableComparison(verify.verifyChunkSize(), verify.verifyExamples()));
        registry.bind("deleteReconciliation", new DeleteReconciliation(tables, source, target, verify));

        camel.addLifecycleStrategy(new StartupCheck(settings, horizon, tables, checkpoints, deadLetterStore));
        camel.addService(new ClosePools(source, target));
        if (watchRoutes) {
            camel.addService(new RouteReloader(configDir.resolve("routes")));
        }
    }

    /** sync.target.max-in-flight: pages written at once to a remote target (a file target has one writer). */
    private static int maxInFlight(PropertiesComponent properties) {
        long pages = number(properties, "sync.target.max-in-flight", DEFAULT_MAX_IN_FLIGHT);
        if (pages < 1 || pages > 64) {
            throw new ConfigException("sync.target.max-in-flight must be between 1 and 64 (got " + pages + ")");
        }
        return (int) pages;
    }

    private static boolean bool(PropertiesComponent properties, String key, boolean fallback) {
        String value = properties.resolveProperty(key).orElse(null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!value.trim().equals("true") && !value.trim().equals("false")) {
            throw new ConfigException(key + " must be true or false (got '" + value + "')");
        }
        return Boolean.parseBoolean(value.trim());
    }

    private static long number(PropertiesComponent properties, String key, long fallback) {
        String value = properties.resolveProperty(key).orElse(null);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number of 0 or more (got '" + value + "')");
        }
    }
}
