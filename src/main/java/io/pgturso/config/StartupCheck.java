package io.pgturso.config;

import io.pgturso.deadletter.DeadLetterStore;
import io.pgturso.sync.CheckpointStore;
import io.pgturso.sync.Horizon;
import io.pgturso.sync.SyncFailures;
import io.pgturso.sync.TableRegistry;
import io.pgturso.sync.TableSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import java.sql.SQLException;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Before any route starts: reaches both databases and checks every table, so bad settings stop the start with one clear message. */
class StartupCheck extends LifecycleStrategySupport {
    private static final Logger LOG = LoggerFactory.getLogger("io.pgturso.sync");

    private final SyncSettings settings;
    private final Horizon horizon;
    private final TableRegistry tables;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;

    StartupCheck(SyncSettings settings, Horizon horizon, TableRegistry tables,
            CheckpointStore checkpoints, DeadLetterStore deadLetters) {
        this.settings = settings;
        this.horizon = horizon;
        this.tables = tables;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
    }

    @Override
    public void onContextInitialized(CamelContext context) {
        LOG.info("Source: Postgres at {}; target: {}", settings.source(), settings.target());
        Properties pgLogin = new Properties();
        if (settings.source().user() != null) {
            pgLogin.setProperty("user", settings.source().user());
        }
        if (settings.source().password() != null) {
            pgLogin.setProperty("password", settings.source().password());
        }
        pgLogin.setProperty("connectTimeout", "10");
        reach(settings.source().jdbcUrl(), pgLogin, "Postgres at " + settings.source(),
                "sync.source.url / DATABASE_URL (and sync.source.user, sync.source.password / PGPASSWORD)");
        Properties targetLogin = new Properties();
        if (settings.targetAuthToken() != null) {
            targetLogin.setProperty("authToken", settings.targetAuthToken());
        }
        reach(settings.target().jdbcUrl(), targetLogin, "the target at " + settings.target(),
                "sync.target.url / TURSO_DATABASE_URL (and TURSO_AUTH_TOKEN)");
        List<TableSpec> specs = tables.validate();
        if (specs.isEmpty()) {
            LOG.warn("No tables configured: add camel.route-template[NAME].* lines to application.properties (see README)");
        }
        checkpoints.createTable();
        deadLetters.createTable();
        if (specs.stream().anyMatch(horizon::appliesTo)) {
            horizon.canSeeAllTransactions();
        }
        for (TableSpec spec : specs) {
            if (!tables.hasPageIndex(spec)) {
                String first = spec.positionColumns().get(0).source();
                LOG.warn("{}: no index of {} starts with {}: every page reads the whole table. Add one: CREATE INDEX ON {} ({})",
                        spec.routeId(), spec.source().qualifiedName(), first, spec.source().qualifiedName(),
                        String.join(", ", spec.positionColumns().stream().map(c -> io.pgturso.sync.Sql.quote(c.source())).toList()));
            }
            if (spec.sweepsNullCursor()) {
                LOG.info("{}: cursor column {} allows NULL: rows with a NULL cursor are copied again on every pass; "
                        + "make the column NOT NULL if it never is", spec.routeId(), spec.cursor().source());
            }
            LOG.info("{}: {} -> {} ({} mode, key {}, {} columns, pages of {})", spec.routeId(), spec.source().qualifiedName(),
                    spec.targetTable(), spec.mode().name().toLowerCase(), spec.keyLabel(), spec.columns().size(), spec.batchSize());
        }
    }

    /** Opens one connection with the driver itself (not the pool, whose timeout hides the cause) and runs a query. */
    private void reach(String jdbcUrl, Properties login, String what, String settingNames) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, login); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException | RuntimeException e) {
            throw new ConfigException("Cannot connect to " + what + ": "
                    + Redaction.text(SyncFailures.describe(e), settings.source().password(), settings.targetAuthToken())
                    + " (check " + settingNames + ")", e);
        }
    }
}
