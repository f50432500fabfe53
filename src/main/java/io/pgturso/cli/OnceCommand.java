package io.pgturso.cli;

import io.pgturso.config.SettingValues;
import io.pgturso.config.Settings;
import io.pgturso.failure.SyncFailures;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableConfig;
import io.pgturso.pass.TablePass;
import io.pgturso.pass.TableRunner;
import io.pgturso.reconcile.DeleteReconciliation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;

/**
 * The {@code once} command, for cron and Kubernetes jobs: every table's pass, then, where {@code sync.reconcile.enabled},
 * the hard-delete reconciliation of the whole table (a full-mode pass deletes by itself); one line per table.
 */
public final class OnceCommand {
    private OnceCommand() {
    }

    /** Runs it; true when every pass and reconciliation succeeded. */
    public static boolean run(CamelContext camel, List<TableConfig> tables, PrintStream out) {
        List<String> failed = new ArrayList<>();
        for (TableConfig table : tables) {
            TableRunner.Outcome outcome = TableRunner.run(camel, table.routeId());
            out.println(line(table.routeId(), outcome));
            if (!outcome.ok()) {
                failed.add(table.routeId());
            }
        }
        long deleted = 0;
        boolean reconciled = new SettingValues(camel.getPropertiesComponent()::resolveProperty).bool(Settings.RECONCILE_ENABLED);
        if (reconciled) {
            DeleteReconciliation reconciliation = camel.getRegistry().lookupByNameAndType("deleteReconciliation",
                    DeleteReconciliation.class);
            for (String routeId : reconciliation.tables()) {
                if (tables.stream().anyMatch(t -> t.routeId().equals(routeId) && t.mode() == SyncMode.FULL)) {
                    continue;
                }
                try {
                    long n = reconciliation.reconcileAll(routeId);
                    deleted += n;
                    if (n > 0) {
                        out.println(routeId + ": " + n + " rows deleted as gone from Postgres (delete reconciliation)");
                    }
                } catch (Exception e) {
                    out.println(routeId + ": delete reconciliation failed, nothing of the failed chunk deleted: "
                            + SyncFailures.describe(e));
                    if (!failed.contains(routeId)) {
                        failed.add(routeId);
                    }
                }
            }
        }
        if (!failed.isEmpty()) {
            out.println("Failed tables: " + failed + " (their checkpoints did not move past unwritten rows)");
            return false;
        }
        out.println("All " + tables.size() + " tables synced" + (reconciled ? "; " + deleted
                + " rows deleted as gone from Postgres by the delete reconciliation." : "."));
        return true;
    }

    /** {@code orders: 12 rows written, 1 dead-lettered in 0.3 s}; a full pass adds what it compared. */
    static String line(String routeId, TableRunner.Outcome outcome) {
        TablePass pass = outcome.pass();
        if (pass == null) {
            return routeId + ": failed before reading any row (see the error above)";
        }
        StringBuilder line = new StringBuilder(routeId).append(": ").append(pass.written()).append(" rows written");
        if (pass.deadLettered() > 0) {
            line.append(", ").append(pass.deadLettered()).append(" dead-lettered");
        }
        if (pass.skipped() > 0) {
            line.append(", ").append(pass.skipped()).append(" skipped by the row hook");
        }
        if (pass.getSpec().mode() == SyncMode.FULL) {
            line.append(" (full pass: ").append(pass.unchanged()).append(" rows unchanged, ").append(pass.goneDeleted())
                    .append(" deleted as gone from Postgres)");
        }
        line.append(String.format(" in %.1f s", pass.elapsedMillis() / 1000.0));
        return outcome.ok() ? line.toString() : line.append(": FAILED (see the error above)").toString();
    }
}
