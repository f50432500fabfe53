package io.pgturso.cdc.apply;

import io.pgturso.source.TableSpec;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.tenant.TenantRegistry;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.RowRejectedException;
import io.pgturso.transform.RowTransformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes the writes of tables with fan-out to their tenants' databases: an insert or update to its tenant's, a row
 * whose tenant changed out of the databases the key index names for it (or its old row, when the change sent it
 * whole), a delete to each of those, a truncate to every tenant database. The batch's changes are followed in order over
 * the index's entries, so the index is written ahead (every database a row reaches is noted before) and forgets a
 * database only after the row has left it.
 */
final class TenantRouting {
    private final TenantDatabases tenants;
    private final TenantKeys keys;
    private final ChangeSql sql;

    TenantRouting(TenantDatabases tenants, TenantKeys keys, ChangeSql sql) {
        this.tenants = tenants;
        this.keys = keys;
        this.sql = sql;
    }

    /** Routes the batch's writes (those of tables without fan-out stay for the control database). */
    void route(ChangeBatch batch) {
        batch.nameTenantDatabases(tenants::databaseFor);
        List<RowWrite> writes = batch.writes();
        if (writes.stream().noneMatch(w -> w.spec().fansOut())) {
            return;
        }
        Map<String, Map<String, Set<String>>> before = lookup(writes);
        Map<String, Map<String, Set<String>>> state = new HashMap<>();
        before.forEach((table, held) -> {
            Map<String, Set<String>> copy = new HashMap<>();
            held.forEach((key, databases) -> copy.put(key, new TreeSet<>(databases)));
            state.put(table, copy);
        });
        Set<String> truncated = new HashSet<>();
        Map<String, TenantPlan.Prepare> prepares = new LinkedHashMap<>();
        List<RowWrite> out = new ArrayList<>(writes.size());
        for (RowWrite w : writes) {
            RowWrite.Tenanted t = w.tenanted();
            if (!w.spec().fansOut()) {
                out.add(w);
                continue;
            }
            TableSpec spec = w.spec();
            Map<String, Set<String>> held = state.computeIfAbsent(spec.targetTable(), k -> new HashMap<>());
            switch (t.kind()) {
                case TRUNCATE -> {
                    Set<String> all = new TreeSet<>();
                    tenants.registry().all().forEach(r -> all.add(r.database()));
                    held.values().forEach(all::addAll);
                    prepares.values().forEach(p -> all.add(p.database()));
                    all.forEach(database -> out.add(w.in(database)));
                    held.values().forEach(Set::clear);
                    truncated.add(spec.targetTable());
                }
                case DELETE -> {
                    Set<String> at = at(held, key(spec, t.source()));
                    if (t.oldTenant() != null) {
                        String database = tenants.databaseFor(t.oldTenant());
                        if (tenants.registry().tenant(database) != null) {
                            at.add(database);
                        }
                    }
                    at.forEach(database -> out.add(w.in(database)));
                    at.clear();
                }
                case UPSERT, UPDATE, MOVE -> {
                    String database = tenants.databaseFor(t.tenant());
                    Set<String> at = at(held, key(spec, t.source()));
                    // an update or key change that left large values out needs the row in the same database
                    boolean inPlace = t.kind() == RowWrite.Kind.UPSERT
                            || t.kind() == RowWrite.Kind.UPDATE && (at.isEmpty() || at.contains(database))
                            || t.kind() == RowWrite.Kind.MOVE && at(held, key(spec, t.oldSource())).contains(database);
                    for (String other : at) {
                        if (!other.equals(database) || !inPlace) {
                            out.add(new RowWrite(spec, sql.delete(spec), t.targetKey(), false, t, other));
                        }
                    }
                    at.clear();
                    if (inPlace) {
                        at.add(database);
                        prepares.putIfAbsent(database + "|" + spec.routeId(), new TenantPlan.Prepare(database, t.tenant(), spec));
                        out.add(w.in(database));
                    } else {
                        batch.reject(spec, new RowRejectedException(RowKey.of(spec, t.source()),
                                RowTransformer.sourceJson(spec, t.source()), "the row moved to tenant database " + database
                                        + " in a change that left large values out (unchanged TOAST), which its old database "
                                        + "held: replay it to copy it whole from Postgres"), t.lsn(), database);
                    }
                }
                default -> throw new IllegalStateException("unknown change " + t.kind());
            }
        }
        batch.routed(out, plan(before, state, truncated, prepares));
    }

    /** The index's entries of every row the batch's writes touch, by table then key. */
    private Map<String, Map<String, Set<String>>> lookup(List<RowWrite> writes) {
        Map<String, Set<String>> touched = new HashMap<>();
        for (RowWrite w : writes) {
            RowWrite.Tenanted t = w.tenanted();
            if (!w.spec().fansOut() || t.source() == null) {
                continue;
            }
            Set<String> rows = touched.computeIfAbsent(w.spec().targetTable(), k -> new HashSet<>());
            rows.add(key(w.spec(), t.source()));
            if (t.oldSource() != null) {
                rows.add(key(w.spec(), t.oldSource()));
            }
        }
        Map<String, Map<String, Set<String>>> out = new HashMap<>();
        touched.forEach((table, rows) -> out.put(table, keys.lookup(table, rows)));
        return out;
    }

    private static TenantPlan plan(Map<String, Map<String, Set<String>>> before, Map<String, Map<String, Set<String>>> after,
            Set<String> truncated, Map<String, TenantPlan.Prepare> prepares) {
        Map<String, List<TenantKeys.Entry>> ahead = new HashMap<>();
        Map<String, List<TenantKeys.Entry>> left = new HashMap<>();
        Map<String, List<TenantKeys.Entry>> kept = new HashMap<>();
        after.forEach((table, rows) -> {
            Map<String, Set<String>> was = before.getOrDefault(table, Map.of());
            List<TenantKeys.Entry> added = new ArrayList<>();
            List<TenantKeys.Entry> removed = new ArrayList<>();
            List<TenantKeys.Entry> now = new ArrayList<>();
            rows.forEach((key, databases) -> {
                Set<String> old = was.getOrDefault(key, Set.of());
                databases.stream().filter(d -> !old.contains(d)).forEach(d -> added.add(new TenantKeys.Entry(key, d)));
                old.stream().filter(d -> !databases.contains(d)).forEach(d -> removed.add(new TenantKeys.Entry(key, d)));
                databases.forEach(d -> now.add(new TenantKeys.Entry(key, d)));
            });
            ahead.put(table, added);
            if (truncated.contains(table)) {
                kept.put(table, now);
            } else {
                left.put(table, removed);
            }
        });
        return new TenantPlan(ahead, left, kept, List.copyOf(prepares.values()));
    }

    private static Set<String> at(Map<String, Set<String>> held, String key) {
        return held.computeIfAbsent(key, k -> new TreeSet<>());
    }

    private static String key(TableSpec spec, Map<String, Object> source) {
        return RowKey.of(spec, source).json();
    }

    /** The registry, for the writer: whether a database was ever created (one never registered holds nothing). */
    TenantRegistry registry() {
        return tenants.registry();
    }
}
