package io.pgturso.app;

import io.pgturso.cli.CommandLine;
import io.pgturso.cli.CommandLogging;
import io.pgturso.cli.OnceCommand;
import io.pgturso.cli.PlanCommand;
import io.pgturso.cdc.apply.CdcAdmin;
import io.pgturso.cli.StatusReport;
import io.pgturso.cli.TableCommands;
import io.pgturso.config.ConfigException;
import io.pgturso.route.RouteNames;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.deadletter.ReplayResult;
import io.pgturso.target.CheckpointStore;
import io.pgturso.source.TableRegistry;
import io.pgturso.cli.VerifyCommand;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Command-line entry point: {@code java -jar pg-turso-sync.jar [run|once|status|replay|verify|plan|resync|reset-checkpoint|drop-tenant] [--config DIR]}. */
public final class App {
    /** Exit code of a run where some table or row failed. */
    public static final int FAILED = 1;
    /** Exit code of bad arguments or settings; nothing was written. */
    public static final int BAD_CONFIG = 2;

    private App() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command and returns the process exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (ConfigException e) {
            err.println("pg-turso-sync: " + e.getMessage());
            return BAD_CONFIG;
        }
        if (cli.help()) {
            out.print(CommandLine.USAGE);
            return 0;
        }
        try (CommandLogging logging = CommandLogging.forCommand(cli.command(), cli.verbose())) {
            return switch (cli.command()) {
                case "status", "verify", "plan", "reset-checkpoint", "cdc-uninstall", "drop-tenant" -> withoutPasses(cli, env, out);
                default -> withRoutes(cli, env, out);
            };
        } catch (ConfigException e) {
            err.println("pg-turso-sync: " + e.getMessage());
            return BAD_CONFIG;
        } catch (java.sql.SQLException e) {
            err.println("pg-turso-sync: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } catch (RuntimeException e) {
            err.println("pg-turso-sync: " + e.getMessage());
            return FAILED;
        }
    }

    /** The commands that run a pass or replay through the routes: Camel with its routes. */
    private static int withRoutes(CommandLine cli, Map<String, String> env, PrintStream out)
            throws java.sql.SQLException, InterruptedException {
        try (SyncApplication app = SyncApplication.start(cli.configDir(), env, cli.command().equals("run"), cli.verbose())) {
            return switch (cli.command()) {
                case "once" -> OnceCommand.run(app.camel(), app.tables(), out) ? 0 : FAILED;
                case "replay" -> replay(app, cli.table(), out);
                case "resync" -> new TableCommands(app.camel()).resync(cli.table(), cli.tenant(), out) ? 0 : FAILED;
                default -> {
                    app.awaitShutdown();
                    yield 0;
                }
            };
        }
    }

    /** The commands that act through the beans only: no Camel is started (see {@link CommandBeans}). */
    private static int withoutPasses(CommandLine cli, Map<String, String> env, PrintStream out) throws java.sql.SQLException {
        boolean plan = cli.command().equals("plan");
        try (CommandBeans beans = CommandBeans.open(cli.configDir(), env, plan, cli.verbose())) {
            Registry r = beans.registry();
            return switch (cli.command()) {
                case "status" -> status(r, out);
                case "verify" -> VerifyCommand.run(r, cli.table(), cli.tenant(), out) ? 0 : FAILED;
                case "plan" -> PlanCommand.run(r, out) ? 0 : FAILED;
                case "reset-checkpoint" -> {
                    new TableCommands(r).resetCheckpoint(cli.table(), out);
                    yield 0;
                }
                case "cdc-uninstall" -> cdcUninstall(r, out);
                default -> {
                    new io.pgturso.cli.TenantCommands(r).drop(cli.tenant(), out);
                    yield 0;
                }
            };
        }
    }

    private static int status(Registry r, PrintStream out) {
        new StatusReport(r.lookupByNameAndType("tables", TableRegistry.class),
                r.lookupByNameAndType("checkpoints", CheckpointStore.class),
                r.lookupByNameAndType("deadLetterStore", DeadLetterStore.class),
                r.lookupByNameAndType("source", DataSource.class))
                .withSchema(r.lookupByNameAndType("targetSchema", io.pgturso.target.TargetSchema.class))
                .withFullPasses(new io.pgturso.target.FullPasses(new org.springframework.jdbc.core.JdbcTemplate(
                        r.lookupByNameAndType("target", DataSource.class)))).print(out);
        CdcAdmin cdc = r.lookupByNameAndType("cdcAdmin", CdcAdmin.class);
        if (cdc.streams()) {
            out.println();
            cdc.status().forEach(out::println);
        }
        io.pgturso.cli.StatusReport.printTenants(r.lookupByNameAndType("tables", TableRegistry.class),
                r.lookupByNameAndType("tenantDatabases", io.pgturso.tenant.TenantDatabases.class),
                r.lookupByNameAndType("tenantKeys", io.pgturso.tenant.TenantKeys.class), out);
        return 0;
    }

    private static int cdcUninstall(Registry r, PrintStream out) throws java.sql.SQLException {
        List<String> dropped = r.lookupByNameAndType("cdcAdmin", CdcAdmin.class).uninstall();
        out.println(dropped.isEmpty() ? "Nothing to drop: no slot or publication of this sync exists"
                : "Dropped: " + String.join(", ", dropped));
        return 0;
    }

    private static int replay(SyncApplication app, String table, PrintStream out) {
        CamelContext camel = app.camel();
        ReplayResult result;
        try {
            result = camel.createProducerTemplate()
                    .requestBodyAndHeader(RouteNames.REPLAY_DEAD_LETTERS, null, RouteNames.REPLAY_TABLE_HEADER, table,
                            ReplayResult.class);
        } catch (org.apache.camel.CamelExecutionException e) {
            // a refused argument (an unknown table, a table with fan-out) is said as such, not as the route's failure
            if (e.getCause() instanceof ConfigException refused) {
                throw refused;
            }
            throw e;
        }
        out.println("Replay: " + result);
        return result.failed() == 0 && result.busy().isEmpty() ? 0 : FAILED;
    }
}
