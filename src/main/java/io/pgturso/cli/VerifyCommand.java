package io.pgturso.cli;

import io.pgturso.config.ConfigException;
import io.pgturso.source.TableConfig;
import io.pgturso.failure.SyncFailures;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSchema;
import io.pgturso.verify.ComparisonResult;
import io.pgturso.verify.TableComparison;
import io.pgturso.verify.VerifyReport;
import io.pgturso.verify.VerifyRuns;
import java.io.PrintStream;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** The {@code verify} command: compares every table (or one) and prints one line per table. */
public final class VerifyCommand {
    private VerifyCommand() {
    }

    /** Compares the tables; true when every table matches (dead-lettered rows apart, which are listed). */
    public static boolean run(CamelContext camel, String table, PrintStream out) {
        return run(camel, table, null, out);
    }

    /** As above; a table with fan-out is compared tenant by tenant, or only for {@code tenant} when not null. */
    public static boolean run(CamelContext camel, String table, String tenant, PrintStream out) {
        return run(camel.getRegistry(), table, tenant, out);
    }

    /** As above, with the beans looked up in {@code r} (a command that starts no Camel). */
    public static boolean run(Registry r, String table, String tenant, PrintStream out) {
        TableRegistry tables = r.lookupByNameAndType("tables", TableRegistry.class);
        TableComparison comparison = r.lookupByNameAndType("tableComparison", TableComparison.class);
        DataSource source = r.lookupByNameAndType("source", DataSource.class);
        DataSource target = r.lookupByNameAndType("target", DataSource.class);
        TargetSchema schema = r.lookupByNameAndType("targetSchema", TargetSchema.class);
        VerifyRuns runs = r.lookupByNameAndType("verifyRuns", VerifyRuns.class);
        boolean allMatch = true;
        List<TableConfig> selected = selected(tables, table);
        if (tenant != null && selected.stream().noneMatch(TableConfig::fansOut)) {
            throw new ConfigException("--tenant compares a table with fan-out, and " + selected.stream().map(TableConfig::routeId)
                    .toList() + " has none");
        }
        for (TableConfig config : selected) {
            if (tenant != null && !config.fansOut()) {
                continue;
            }
            try {
                TableSpec spec = tables.spec(config);
                if (spec.fansOut()) {
                    ComparisonResult difference = new TenantVerify(r).run(spec, tenant, out);
                    if (tenant == null) {
                        record(out, config.routeId(), () -> {
                            if (difference == null) {
                                runs.record(config.routeId(), ComparisonResult.equal(config.routeId()));
                            } else {
                                runs.record(config.routeId(), difference);
                            }
                        });
                    }
                    allMatch &= difference == null;
                    continue;
                }
                List<String> drift = schema == null ? List.of() : schema.drift(spec);
                try {
                    ComparisonResult result = comparison.compare(spec, source, target);
                    VerifyReport.print(result, out);
                    record(out, config.routeId(), () -> runs.record(config.routeId(), result));
                    allMatch &= result.matchesApartFromDeadLetters();
                } finally {
                    drift.forEach(n -> out.println("  " + config.routeId() + ": " + n));
                }
            } catch (RuntimeException e) {
                out.println(config.routeId() + ": cannot compare: " + SyncFailures.describe(e));
                record(out, config.routeId(), () -> runs.recordFailure(config.routeId()));
                allMatch = false;
            }
        }
        return allMatch;
    }

    // The outcome is kept for the metrics of `run`; failing to keep it does not change what verify found.
    private static void record(PrintStream out, String table, Runnable save) {
        try {
            save.run();
        } catch (RuntimeException e) {
            out.println("  " + table + ": outcome not recorded in the target: " + SyncFailures.describe(e));
        }
    }

    private static List<TableConfig> selected(TableRegistry tables, String table) {
        List<TableConfig> all = tables.configs();
        if (table == null) {
            return all;
        }
        List<TableConfig> matching = all.stream()
                .filter(c -> c.routeId().equals(table) || tables.spec(c).targetTable().equalsIgnoreCase(table)).toList();
        if (matching.isEmpty()) {
            throw new ConfigException("No table '" + table + "' (tables: " + all.stream().map(TableConfig::routeId).toList() + ")");
        }
        return matching;
    }
}
