package io.pgturso.pass;

import static io.pgturso.route.RouteNames.PAGE;
import static io.pgturso.route.RouteNames.PASS;
import static io.pgturso.route.RouteNames.TENANT_DATABASE;
import static io.pgturso.route.RouteNames.TENANT_DELETES;
import static io.pgturso.route.RouteNames.TENANT_PAGE;
import static io.pgturso.route.RouteNames.TENANT_PART;
import static io.pgturso.route.RouteNames.TENANT_UPSERTS;

import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSql;
import io.pgturso.tenant.FanOutTables;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.tenant.TenantRegistry;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.RowTransformer;
import io.pgturso.transform.TargetRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.Exchange;

/**
 * The steps of the {@code write-tenant-page} route: a page of a table with fan-out split by tenant database, each
 * part written into its tenant's database, and the key index kept so that a row whose tenant changed leaves its old
 * tenant's database. The index is written ahead: a database is noted before the row is written there and forgotten
 * only after the row has left it, so a crash anywhere leaves no row in a database the index does not name.
 */
@UsedByRoutes("write-tenant-page: bean tenantPages, each public method a step")
public class TenantPages {
    private final TenantDatabases tenants;
    private final TenantKeys keys;
    private final FanOutTables fanOutTables;
    private final TenantListener listener;

    public TenantPages(TenantDatabases tenants, TenantKeys keys, FanOutTables fanOutTables, TenantListener listener) {
        this.tenants = tenants;
        this.keys = keys;
        this.fanOutTables = fanOutTables;
        this.listener = listener;
    }

    /**
     * Splits the page (variable {@code page}) into one part per tenant database (the body, in database order): each row
     * goes to its tenant's; a database the key index names for a row whose tenant is now another gets the row's delete,
     * as do all those of a row marked deleted. The databases about to get a row are noted in the index first.
     */
    public void split(Exchange exchange) {
        TableSync.writerStarted(exchange);
        TablePass pass = exchange.getVariable(PASS, TablePass.class);
        TableSpec spec = pass.getSpec();
        Page page = exchange.getVariable(PAGE, Page.class);
        String table = spec.targetTable();
        // a resync of one tenant writes and deletes in its database only; a pass moves a row out of any other later
        String only = pass.onlyTenant() == null ? null : tenants.databaseFor(pass.onlyTenant());
        List<String> rowKeys = new ArrayList<>(page.getUpserts().size() + page.getDeletes().size());
        page.getUpserts().forEach(r -> rowKeys.add(r.key().json()));
        page.getDeletes().forEach(r -> rowKeys.add(r.key().json()));
        Map<String, Set<String>> held = keys.lookup(table, rowKeys);
        Map<String, TenantPart> parts = new TreeMap<>();
        Map<String, String> databases = new HashMap<>();
        List<TenantKeys.Entry> ahead = new ArrayList<>();
        List<TenantKeys.Entry> left = new ArrayList<>();
        int i = 0;
        for (TargetRow row : page.getUpserts()) {
            String key = rowKeys.get(i++);
            String database = databases.computeIfAbsent(row.tenant(), tenants::databaseFor);
            parts.computeIfAbsent(database, d -> new TenantPart(d, row.tenant())).upserts().add(row);
            Set<String> before = held.getOrDefault(key, Set.of());
            if (!before.contains(database)) {
                ahead.add(new TenantKeys.Entry(key, database));
            }
            for (String old : before) {
                if (!old.equals(database) && only == null) {
                    leaves(parts, old, TargetRow.deleteOf(spec, RowTransformer.deleteValues(spec, row.source()), row.key()));
                    left.add(new TenantKeys.Entry(key, old));
                }
            }
        }
        for (TargetRow row : page.getDeletes()) {
            String key = rowKeys.get(i++);
            Set<String> from = new HashSet<>(only != null ? Set.of(only) : held.getOrDefault(key, Set.of()));
            if (row.tenant() != null && only == null) {
                from.add(databases.computeIfAbsent(row.tenant(), tenants::databaseFor));
            }
            for (String database : from) {
                leaves(parts, database, row);
                left.add(new TenantKeys.Entry(key, database));
            }
        }
        // a database never registered was never written (registered before its first row): it holds nothing to delete
        parts.values().removeIf(p -> p.upserts().isEmpty() && tenants.registry().tenant(p.getDatabase()) == null);
        if (only != null) {
            ahead = indexedAsHeld(spec, page, only, ahead);
        }
        keys.add(table, ahead);
        if (only == null && keys.noting(table)) {
            keys.copied(table, copied(spec, page, rowKeys, databases));
        }
        exchange.setVariable(TENANT_PAGE, new TenantPage(List.copyOf(parts.values()), left));
        exchange.getMessage().setBody(List.copyOf(parts.values()));
    }

    /**
     * What a page of a copy from the change stream's snapshot holds: each upserted row in its tenant's database, a row
     * read but not written (dead-lettered) wherever it is; the copy then deletes the index's other rows.
     */
    private List<TenantKeys.Entry> copied(TableSpec spec, Page page, List<String> rowKeys, Map<String, String> databases) {
        List<TenantKeys.Entry> out = new ArrayList<>();
        Set<String> written = new HashSet<>();
        int i = 0;
        for (TargetRow row : page.getUpserts()) {
            String key = rowKeys.get(i++);
            written.add(key);
            out.add(new TenantKeys.Entry(key, databases.get(row.tenant())));
        }
        if (page.sourceRows() != null) {
            for (Map<String, Object> row : page.sourceRows()) {
                String key = RowKey.of(spec, row).json();
                if (!written.contains(key)) {
                    out.add(new TenantKeys.Entry(key, "*"));
                }
            }
        }
        return out;
    }

    /**
     * A resync of one tenant also notes the rows its database holds as they are already (the comparison sends none of
     * them), so that an entry the index lost is put back and a later move of such a row finds it.
     */
    private List<TenantKeys.Entry> indexedAsHeld(TableSpec spec, Page page, String database, List<TenantKeys.Entry> ahead) {
        Set<TenantKeys.Entry> all = new LinkedHashSet<>(ahead);
        List<String> read = page.sourceRows() == null ? List.of()
                : page.sourceRows().stream().map(r -> RowKey.of(spec, r).json()).toList();
        Map<String, Set<String>> held = keys.lookup(spec.targetTable(), read);
        for (String key : read) {
            if (!held.getOrDefault(key, Set.of()).contains(database)) {
                all.add(new TenantKeys.Entry(key, database));
            }
        }
        return new ArrayList<>(all);
    }

    private void leaves(Map<String, TenantPart> parts, String database, TargetRow delete) {
        parts.computeIfAbsent(database, d -> new TenantPart(d, tenants.registry().tenant(d))).getDeletes().add(delete);
    }

    /**
     * One part (the body): its tenant's database, created when new (with every table with fan-out) and brought up to the
     * table's schema, becomes the variable {@code part}; its database's name and its counts of upserts and deletes the
     * variables {@code database}, {@code upserts} and {@code deletes}.
     */
    public void open(Exchange exchange) {
        TenantPart part = exchange.getMessage().getBody(TenantPart.class);
        exchange.setVariable(TENANT_PART, part);
        exchange.setVariable(TENANT_DATABASE, part.getDatabase());
        exchange.setVariable(TENANT_UPSERTS, part.upserts().size());
        exchange.setVariable(TENANT_DELETES, part.getDeletes().size());
        part.started();
        TableSpec spec = exchange.getVariable(PASS, TablePass.class).getSpec();
        if (part.tenant() != null && tenants.prepare(part.tenant(), part.getDatabase(), spec, fanOutTables::specs)) {
            listener.tenantCreated(spec.routeId(), part.getDatabase());
        }
    }

    /**
     * The part's rows to upsert: the one-row upsert, each row bound to it in one batch. A part is small (a page's rows
     * of one tenant): the statement is prepared once per tenant file and kept ({@code TenantDatabases}), where one bound
     * to the part's size had to be prepared for each part, which cost more than writing its rows.
     */
    public void upsert(Exchange exchange) {
        upsertRowByRow(exchange);
    }

    /** The part's rows to upsert one by one (to find the rows the tenant's database refuses). */
    public void upsertRowByRow(Exchange exchange) {
        PositionalParameters.use(exchange, upsertSql(exchange.getVariable(PASS, TablePass.class).getSpec()));
        exchange.getMessage().setBody(part(exchange).upserts());
    }

    /** The one-row upsert of a table as the pass sees it, built once (not for each part of each page). */
    private String upsertSql(TableSpec spec) {
        UpsertSql last = lastUpsert;
        if (last == null || last.spec() != spec) {
            last = new UpsertSql(spec, TargetSql.upsert(spec));
            lastUpsert = last;
        }
        return last.sql();
    }

    /** The upsert of the table last written (parts of two tables written at once just build theirs again). */
    private volatile UpsertSql lastUpsert;

    private record UpsertSql(TableSpec spec, String sql) {
    }

    /** The part's deletes: by key, unless the tenant's database holds a newer version. */
    public void deletes(Exchange exchange) {
        PositionalParameters.use(exchange, TargetSql.delete(exchange.getVariable(PASS, TablePass.class).getSpec()));
        exchange.getMessage().setBody(part(exchange).getDeletes());
    }

    /** The part is written. */
    public void partDone(Exchange exchange) {
        part(exchange).done();
    }

    /** Every part is written: the index forgets the databases the page's rows have left; what each database got is recorded. */
    public void forget(Exchange exchange) {
        TableSpec spec = exchange.getVariable(PASS, TablePass.class).getSpec();
        TenantPage page = exchange.getVariable(TENANT_PAGE, TenantPage.class);
        keys.remove(spec.targetTable(), page.left());
        List<TenantRegistry.Written> written = new ArrayList<>(page.parts().size());
        for (TenantPart part : page.parts()) {
            written.add(new TenantRegistry.Written(part.getDatabase(), part.rows(), part.millis()));
        }
        tenants.registry().recordWrites(written);
        listener.tenantsWritten(spec.routeId(), page.parts().size());
    }

    private static TenantPart part(Exchange exchange) {
        return exchange.getVariable(TENANT_PART, TenantPart.class);
    }
}
