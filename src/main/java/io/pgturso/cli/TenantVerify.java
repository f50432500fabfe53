package io.pgturso.cli;

import io.pgturso.source.RowChanges;
import io.pgturso.source.TableSpec;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.verify.ComparisonResult;
import io.pgturso.verify.TableComparison;
import io.pgturso.verify.VerifyReport;
import java.io.PrintStream;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.camel.spi.Registry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code verify} of a table with fan-out: each tenant's rows in Postgres against its own database, for every tenant
 * (those with a database and those with rows in Postgres) or one ({@code --tenant}). A tenant's database is never
 * created by it: a tenant with rows but no database yet is reported as different.
 */
final class TenantVerify {
    private final TenantDatabases tenants;
    private final TableComparison comparison;
    private final DataSource source;
    private final DataSource control;

    TenantVerify(Registry r) {
        tenants = r.lookupByNameAndType("tenantDatabases", TenantDatabases.class);
        comparison = r.lookupByNameAndType("tableComparison", TableComparison.class);
        source = r.lookupByNameAndType("source", DataSource.class);
        control = r.lookupByNameAndType("target", DataSource.class);
    }

    /** Compares; with one tenant prints its result, else the tenants that differ and a summary. Returns the first difference, else null. */
    ComparisonResult run(TableSpec spec, String onlyTenant, PrintStream out) {
        Set<String> all = new TreeSet<>();
        if (onlyTenant != null) {
            all.add(onlyTenant);
        } else {
            tenants.registry().all().forEach(t -> all.add(t.tenant()));
            all.addAll(postgresTenants(spec));
        }
        ComparisonResult firstDifference = null;
        long rows = 0;
        int differing = 0;
        for (String tenant : all) {
            TableSpec one = spec.forTenant(tenant);
            String label = spec.routeId() + " [tenant " + tenant + "]";
            String database = tenants.registry().database(tenant);
            if (database == null) {
                long inPostgres = count(one);
                if (inPostgres == 0) {
                    out.println(label + ": OK no rows in Postgres and no database");
                    continue;
                }
                out.println(label + ": DIFFERENT " + inPostgres + " rows in Postgres, no database yet (the next pass creates it)");
                differing++;
                continue;
            }
            ComparisonResult result = comparison.compareTenant(one, label + " (database " + database + ")", source,
                    tenants.dataSource(database), control);
            rows += result.sourceRows();
            if (!result.matchesApartFromDeadLetters()) {
                differing++;
                firstDifference = firstDifference == null ? result : firstDifference;
            }
            if (onlyTenant != null || !result.matchesApartFromDeadLetters()) {
                VerifyReport.print(result, out);
            }
        }
        if (onlyTenant == null) {
            out.println(spec.routeId() + ": " + (differing == 0 ? "OK " : "DIFFERENT ") + all.size() + " tenants compared, "
                    + differing + " differ, " + rows + " rows in their databases");
        }
        return differing == 0 ? null : firstDifference != null ? firstDifference : noDatabase(spec);
    }

    /** The tenants with rows in Postgres (as the fan-out value reads as text). */
    private java.util.List<String> postgresTenants(TableSpec spec) {
        RowChanges c = spec.rules().changes();
        String sql = "SELECT DISTINCT CAST((" + spec.fanOut() + ") AS text) FROM " + spec.source().qualifiedName()
                + " WHERE (" + spec.fanOut() + ") IS NOT NULL" + (c.filters() ? " AND (" + c.where() + ")" : "");
        return new JdbcTemplate(source).queryForList(sql, String.class);
    }

    private long count(TableSpec one) {
        Long n = new JdbcTemplate(source).queryForObject("SELECT count(*) FROM " + one.source().qualifiedName() + " WHERE "
                + one.rules().changes().where(), Long.class);
        return n == null ? 0 : n;
    }

    private static ComparisonResult noDatabase(TableSpec spec) {
        return new ComparisonResult(spec.routeId(), 0, 0, 0, 0, java.util.List.of(), io.pgturso.verify.Difference.NONE,
                io.pgturso.verify.Difference.NONE, io.pgturso.verify.Difference.NONE, io.pgturso.verify.Difference.NONE,
                "a tenant with rows has no database yet");
    }
}
