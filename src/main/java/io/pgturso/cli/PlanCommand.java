package io.pgturso.cli;

import io.pgturso.cdc.apply.CdcAdmin;
import io.pgturso.config.ConnectionSettings;
import io.pgturso.ops.PostgresReach;
import io.pgturso.source.Horizon;
import io.pgturso.source.TableRegistry;
import io.pgturso.target.TargetKind;
import io.pgturso.tenant.TenantDatabases;
import java.io.PrintStream;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;

/** The {@code plan} command: prints what a run would do, reading Postgres and (if it exists) the target, writing nothing. */
public final class PlanCommand {
    private PlanCommand() {
    }

    /** Prints the plan; true when no problem was found. */
    public static boolean run(CamelContext camel, PrintStream out) {
        return run(camel.getRegistry(), out);
    }

    /** As above, with the beans looked up in {@code r} (a command that starts no Camel). */
    public static boolean run(Registry r, PrintStream out) {
        ConnectionSettings settings = r.lookupByNameAndType("settings", ConnectionSettings.class);
        PostgresReach.check(settings);
        TargetKind.ReadOnlyTarget target = r.lookupByNameAndType("targetKind", TargetKind.class)
                .readOnly(r.lookupByNameAndType("target", DataSource.class));
        PlanReport report = new PlanReport(r.lookupByNameAndType("tables", TableRegistry.class),
                r.lookupByNameAndType("horizon", Horizon.class), new JdbcTemplate(r.lookupByNameAndType("source", DataSource.class)),
                target(target)).withChangeStream(r.lookupByNameAndType("cdcAdmin", CdcAdmin.class))
                .withTenants(tenantTemplate(r.lookupByNameAndType("tenantDatabases", TenantDatabases.class)));
        List<String> problems = report.print(out);
        return problems.isEmpty();
    }

    /** The tenant databases' URL template, or null when sync.target.url names no {tenant}. */
    private static String tenantTemplate(TenantDatabases tenants) {
        return tenants == null || !tenants.configured() ? null : tenants.template();
    }

    /** The target as the report reads it: a file that does not exist yet is not opened (opening would create it). */
    private static PlanReport.PlanTarget target(TargetKind.ReadOnlyTarget target) {
        return PlanReport.reading(target.label(), target.data() == null ? null : new JdbcTemplate(target.data()));
    }
}
