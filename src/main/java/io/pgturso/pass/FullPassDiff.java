package io.pgturso.pass;

import static io.pgturso.route.RouteNames.PAGE;
import static io.pgturso.route.RouteNames.PASS;

import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableSpec;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.TargetRow;
import io.pgturso.verify.Bytes;
import io.pgturso.verify.ComparedKey;
import io.pgturso.verify.ComparedRow;
import io.pgturso.verify.TargetRange;
import io.pgturso.verify.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Exchange;

/**
 * The writer's first step for a full-mode page: reads the target's rows of the page's key range and keeps only the
 * writes they need. A row equal to the target's (compared as the sync would write it: after the type mapping, computed
 * columns and row hook) is not sent; a target row in the range whose key Postgres no longer has is deleted. The pass
 * holds the table's lock, so nothing else writes the range meanwhile.
 */
public class FullPassDiff {
    /** Target rows read per request. */
    private static final int ROWS_PER_READ = 5_000;
    /** Deletes of rows gone from Postgres gathered per page at most (memory stays bounded); the next pass finds the rest. */
    static final int MAX_GONE_PER_PAGE = 100_000;

    private final DataSource target;
    /** A tenant's database by tenant value (a resync of one tenant compares with it), when tenants are configured. */
    private java.util.function.Function<String, DataSource> tenantDatabase = t -> {
        throw new IllegalStateException("no tenant databases are configured");
    };

    public FullPassDiff(DataSource target) {
        this.target = target;
    }

    /** Where a resync of one tenant ({@link TablePass#onlyTenant()}) finds the tenant's database. */
    public void tenantDatabases(java.util.function.Function<String, DataSource> byTenant) {
        this.tenantDatabase = byTenant;
    }

    /** Keeps of the page (variable {@code page}) only the writes the target needs; pages of other modes pass unchanged. */
    @UsedByRoutes("write-page, write-tenant-page: bean fullPassDiff, method keepChanged")
    public void keepChanged(Exchange exchange) throws SQLException {
        TableSync.writerStarted(exchange);
        TablePass pass = exchange.getVariable(PASS, TablePass.class);
        TableSpec spec = pass.getSpec();
        Page page = exchange.getVariable(PAGE, Page.class);
        // a copy of a table with fan-out (from the change stream's snapshot) upserts every row: its rows are in many databases
        boolean manyDatabases = spec.fansOut() && pass.onlyTenant() == null;
        if (spec.mode().readsWholeTable() && page.sourceRows() != null && !manyDatabases) {
            keepChanged(spec, page, pass.onlyTenant() == null ? target : tenantDatabase.apply(pass.onlyTenant()));
        }
    }

    private void keepChanged(TableSpec spec, Page page, DataSource target) throws SQLException {
        List<ComparedKey> keys = sourceKeys(spec, page);
        ComparedKey lower = page.after() == null ? null : keyOf(spec, page.after());
        boolean fromLower = false;
        if (page.resumes()) {
            // the rows between the checkpoint and this page's first row are not compared: the next pass covers them
            if (keys.isEmpty()) {
                return;
            }
            lower = keys.get(0);
            fromLower = true;
        }
        ComparedKey upper = page.endsPass() || keys.isEmpty() ? null : keys.get(keys.size() - 1);
        Map<ComparedKey, TargetRow> upserts = byKey(spec, page.getUpserts());
        Map<ComparedKey, TargetRow> deletes = byKey(spec, page.getDeletes());
        Set<ComparedKey> inPostgres = new HashSet<>(keys);
        Set<TargetRow> equal = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<TargetRow> present = Collections.newSetFromMap(new IdentityHashMap<>());
        List<TargetRow> gone = new ArrayList<>();
        List<ColumnSpec> columns = spec.targetColumns();
        TargetRange range = new TargetRange(spec, columns, target, lower, fromLower, upper, ROWS_PER_READ);
        boolean cut = false;
        List<ComparedRow> part = range.next();
        while (!part.isEmpty() && !cut) {
            for (ComparedRow row : part) {
                if (inPostgres.contains(row.key())) {
                    TargetRow upsert = upserts.get(row.key());
                    if (upsert != null && comparable(spec, columns, upsert).equals(row.values())) {
                        equal.add(upsert);
                    }
                    TargetRow delete = deletes.get(row.key());
                    if (delete != null) {
                        present.add(delete);
                    }
                } else if (gone.size() < MAX_GONE_PER_PAGE) {
                    gone.add(deleteOf(spec, row.key()));
                } else {
                    cut = true;
                    break;
                }
            }
            part = cut ? part : range.next();
        }
        boolean keepAll = cut;
        List<TargetRow> keptUpserts = page.getUpserts().stream().filter(r -> !equal.contains(r)).toList();
        // deletes of rows the target does not hold write nothing; once the read was cut short, every delete is kept
        List<TargetRow> keptDeletes = new ArrayList<>(page.getDeletes().stream().filter(r -> keepAll || present.contains(r)).toList());
        int unchanged = equal.size() + page.getDeletes().size() - keptDeletes.size();
        keptDeletes.addAll(gone);
        page.keepOnly(keptUpserts, keptDeletes, unchanged, gone.size());
    }

    /** The keys of the rows read, checked to come in the target's key order (a range of one side is then that of the other). */
    private static List<ComparedKey> sourceKeys(TableSpec spec, Page page) {
        List<ComparedKey> keys = new ArrayList<>(page.sourceRows().size());
        ComparedKey previous = page.after() == null ? null : keyOf(spec, page.after());
        for (Map<String, Object> row : page.sourceRows()) {
            ComparedKey key = keyOf(spec, row);
            if (key == null) {
                // a key the target cannot store (the row is dead-lettered): no target row can have it
                continue;
            }
            if (previous != null && key.compareTo(previous) <= 0) {
                throw new IllegalStateException(spec.routeId() + ": Postgres returned key " + key + " after " + previous
                        + ", an order the target does not share (is the Postgres database encoding UTF8?); nothing of the page "
                        + "was written");
            }
            keys.add(key);
            previous = key;
        }
        return keys;
    }

    private static Map<ComparedKey, TargetRow> byKey(TableSpec spec, List<TargetRow> rows) {
        Map<ComparedKey, TargetRow> out = new HashMap<>(rows.size() * 2);
        for (TargetRow row : rows) {
            ComparedKey key = keyOf(spec, row.source());
            if (key != null) {
                out.put(key, row);
            }
        }
        return out;
    }

    /** A Postgres row's key as the target stores it, or null when the target cannot store it. */
    private static ComparedKey keyOf(TableSpec spec, Map<String, Object> row) {
        List<Object> values = new ArrayList<>(spec.key().size());
        for (ColumnSpec k : spec.key()) {
            try {
                values.add(Values.normalise(k.kind(), k.kind().toTarget(row.get(k.source()))));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return new ComparedKey(values);
    }

    /** An upsert's values in target column order, as the target would return them (a REAL sent exactly is one value again). */
    static List<Object> comparable(TableSpec spec, List<ColumnSpec> columns, TargetRow row) {
        List<Object> sent = row.values();
        List<Object> out = new ArrayList<>(columns.size());
        int i = 0;
        for (ColumnSpec c : columns) {
            Object value = sent.get(i++);
            if (spec.exactDoubles() && c.kind().isReal()) {
                Object exponent = sent.get(i++);
                if (value instanceof Long mantissa && exponent instanceof Long e) {
                    value = Math.scalb((double) mantissa, e.intValue());
                }
            }
            out.add(Values.normalise(c.kind(), value));
        }
        return out;
    }

    /** The delete of a target row by key (with a NULL cursor, which lets the delete's cursor guard pass). */
    private static TargetRow deleteOf(TableSpec spec, ComparedKey key) {
        List<Object> values = new ArrayList<>();
        Map<String, String> text = new LinkedHashMap<>();
        for (int i = 0; i < spec.key().size(); i++) {
            Object v = key.values().get(i);
            values.add(v instanceof Bytes b ? b.value() : v);
            text.put(spec.key().get(i).source(), String.valueOf(v));
        }
        if (spec.cursor() != null) {
            values.add(null);
        }
        return TargetRow.deleteOf(spec, values, new RowKey(text));
    }
}
