package io.pgturso.cli;

import io.pgturso.config.ConfigException;
import java.nio.file.Path;
import java.util.List;

/** The parsed command line: {@code [run|once|status|replay|verify|plan|resync|reset-checkpoint|cdc-uninstall|drop-tenant] [--config DIR] [--table NAME] [--tenant VALUE] [--verbose] [--help]}. */
public record CommandLine(String command, Path configDir, String table, String tenant, boolean help, boolean verbose) {
    public static final List<String> COMMANDS = List.of("run", "once", "status", "replay", "verify", "plan", "resync",
            "reset-checkpoint", "cdc-uninstall", "drop-tenant");

    public static final String USAGE = """
            Usage: java -jar pg-turso-sync.jar [COMMAND] [--config DIR] [--table NAME] [--verbose]

            Copies PostgreSQL tables into Turso / libSQL, as configured in DIR/application.properties and DIR/routes/.

            Commands:
              run       keep syncing every table on its schedule (default); route files are reloaded when edited;
                        health and Prometheus metrics on http://HOST:9876/observe/health, /observe/metrics (sync.http.*)
              once      sync every table once (and delete rows gone from Postgres where sync.reconcile.enabled) and
                        exit: 0 when all passes succeeded, 1 otherwise
              status    print each table's checkpoint, rows still to copy and open dead letters
              replay    write dead-lettered rows again, re-read from Postgres (all tables, or --table NAME)
              verify    compare each table (or --table NAME) between Postgres and the target: 0 when equal, 1 otherwise
              plan      print what a run would do per table, writing nothing: 0 when no problem was found, 1 otherwise
              resync    copy --table NAME again from scratch into the live target (rebuilt first if a column's type
                        changed), then delete its rows no longer in Postgres; readers never see it empty; a table
                        with fan-out: every tenant's database (each rebuilt where needed), or with --tenant VALUE
                        that tenant's rows into its own database only
              reset-checkpoint  forget --table NAME's checkpoint: its next pass copies every row again
              cdc-uninstall  drop the replication slot and publication of the tables in cdc mode (sync.cdc.*), so
                        that Postgres keeps no WAL for this sync; refused while a process reads the slot
              drop-tenant  delete --tenant VALUE's database (a database per tenant), once Postgres has none of its rows

            Options:
              --config DIR   directory holding application.properties and routes/ (default: current directory)
              --table NAME   with replay or verify: only this table (route name or target table); required by
                             resync and reset-checkpoint
              --tenant VALUE with verify or resync: only this tenant of the tables with fan-out; required by
                             drop-tenant
              --verbose      also print Camel's start-up log and the sync's info lines (commands print only their
                             own lines, warnings and errors)
              --help         print this help

            Environment (overrides application.properties):
              DATABASE_URL, PGUSER, PGPASSWORD       the Postgres source (postgres://user:pass@host:port/db or jdbc:postgresql:...)
              TURSO_DATABASE_URL, TURSO_AUTH_TOKEN   the target (file:PATH, libsql://HOST, https://HOST, http://HOST:PORT)
            """;

    /** Parses the arguments; unknown ones are a {@link ConfigException} naming them. */
    public static CommandLine parse(String... args) {
        String command = null;
        Path config = Path.of(".");
        String table = null;
        String tenant = null;
        boolean help = false;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h", "help" -> help = true;
                case "--verbose", "-v" -> verbose = true;
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--table" -> table = value(args, ++i, a);
                case "--tenant" -> tenant = value(args, ++i, a);
                default -> {
                    if (a.startsWith("--config=")) {
                        config = Path.of(a.substring("--config=".length()));
                    } else if (a.startsWith("--table=")) {
                        table = a.substring("--table=".length());
                    } else if (a.startsWith("--tenant=")) {
                        tenant = a.substring("--tenant=".length());
                    } else if (COMMANDS.contains(a) && command == null) {
                        command = a;
                    } else {
                        throw new ConfigException("Unknown argument '" + a + "'. Commands: " + COMMANDS + "; see --help");
                    }
                }
            }
        }
        String chosen = command == null ? "run" : command;
        if (tenant != null && !List.of("verify", "resync", "drop-tenant").contains(chosen)) {
            throw new ConfigException("--tenant goes with verify, resync or drop-tenant, not " + chosen + "; see --help");
        }
        return new CommandLine(chosen, config, table, tenant, help, verbose);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new ConfigException(option + " needs a value; see --help");
        }
        return args[i];
    }
}
