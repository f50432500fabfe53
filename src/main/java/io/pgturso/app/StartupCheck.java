package io.pgturso.app;

import io.pgturso.config.ConfigException;
import io.pgturso.config.ConnectionSettings;
import io.pgturso.ops.PostgresReach;
import io.pgturso.ops.Reachability;
import io.pgturso.source.Horizon;
import io.pgturso.source.SourceTable;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import io.pgturso.target.CheckpointStore;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.target.TargetKind;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Before any route starts: reaches both databases and checks every table, so bad settings stop the start with one clear message. */
class StartupCheck extends LifecycleStrategySupport {
    private static final Logger LOG = LoggerFactory.getLogger(StartupCheck.class);

    private final ConnectionSettings settings;
    private final TargetKind target;
    private final Horizon horizon;
    private final TableRegistry tables;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final FanOutStartup fanOut;

    StartupCheck(ConnectionSettings settings, TargetKind target, Horizon horizon, TableRegistry tables,
            CheckpointStore checkpoints, DeadLetterStore deadLetters, FanOutStartup fanOut) {
        this.fanOut = fanOut;
        this.settings = settings;
        this.target = target;
        this.horizon = horizon;
        this.tables = tables;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
    }

    @Override
    public void onContextInitialized(CamelContext context) {
        run();
    }

    /** Runs the check (commands without Camel call it directly); a problem is a {@link ConfigException}. */
    void run() {
        LOG.info("Source: Postgres at {}; target: {}", settings.source(), settings.target());
        PostgresReach.check(settings);
        fanOut.beforeTarget();
        target.checkBeforeTables(this::reachTarget);
        List<TableSpec> specs = tables.validate();
        List<TableSpec> localTime = specs.stream().filter(horizon::readsLocalTime).toList();
        if (!localTime.isEmpty()) {
            LOG.info("Timestamp (without time zone) cursors are read up to the horizon in zone {}, the writers' (sync.horizon.time-zone, "
                    + "else the database's TimeZone)", horizon.writerZone(localTime));
        }
        target.checkAfterTables(this::reachTarget);
        specs.stream().map(spec -> spec.source().encoding()).filter(e -> !SourceTable.UTF8.equals(e)).findFirst()
                .ifPresent(StartupCheck::warnEncoding);
        if (specs.isEmpty()) {
            LOG.warn("No tables configured: add camel.route-template[NAME].* lines to application.properties (see README)");
        }
        checkpoints.createTable();
        deadLetters.createTable();
        fanOut.afterTables(specs);
        if (specs.stream().anyMatch(horizon::appliesTo)) {
            horizon.canSeeAllTransactions();
        }
        for (TableSpec spec : specs) {
            if (!tables.hasPageIndex(spec)) {
                String first = spec.positionColumns().get(0).source();
                LOG.warn("{}: no index of {} starts with {}: every page reads the whole table. Add one: CREATE INDEX ON {} ({})",
                        spec.routeId(), spec.source().qualifiedName(), first, spec.source().qualifiedName(),
                        String.join(", ", spec.positionColumns().stream().map(c -> io.pgturso.source.Sql.quote(c.source())).toList()));
            }
            if (spec.sweepsNullCursor()) {
                LOG.info("{}: cursor column {} allows NULL: rows with a NULL cursor are copied again on every pass; "
                        + "make the column NOT NULL if it never is", spec.routeId(), spec.cursor().source());
            }
            LOG.info("{}: {} -> {} ({} mode, key {}, {} columns, pages of {})", spec.routeId(), spec.source().qualifiedName(),
                    spec.targetTable(), spec.mode().name().toLowerCase(), spec.keyLabel(), spec.columns().size(), spec.batchSize());
        }
    }

    /** Text that is not UTF-8 cannot be copied as it is, and verify compares text keys in UTF-8 order. */
    private static void warnEncoding(String encoding) {
        String bytes = "SQL_ASCII".equals(encoding) ? "it keeps any bytes, so a row whose text is not valid UTF-8 is "
                + "dead-lettered with the column named (and a text key that is not stops its table's passes); " : "";
        LOG.warn("The Postgres database's encoding is {}, not UTF8: {}verify compares text keys in UTF-8 order, which "
                + "needs UTF8. Move the data into a database created with ENCODING 'UTF8' (pg_dump, then restore)", encoding, bytes);
    }

    private void reachTarget() {
        reach(settings.target().jdbcUrl(), target.login(settings.targetAuthToken(), 30), "the target at " + settings.target(),
                "sync.target.url / TURSO_DATABASE_URL (and TURSO_AUTH_TOKEN)");
    }

    /** Opens one connection and runs a query; a failure stops the start naming the settings to check. */
    private void reach(String jdbcUrl, Properties login, String what, String settingNames) {
        String problem = Reachability.problem(settings, jdbcUrl, login);
        if (problem != null) {
            throw new ConfigException("Cannot connect to " + what + ": " + problem + " (check " + settingNames + ")");
        }
    }
}
