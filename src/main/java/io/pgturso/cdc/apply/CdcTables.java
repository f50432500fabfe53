package io.pgturso.cdc.apply;

import io.pgturso.cdc.ReplicationSpec;
import io.pgturso.cdc.pgoutput.Relation;
import io.pgturso.config.ConfigException;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tables in cdc mode and each one's spec, found by the Postgres table a change names; a spec is read again from
 * the catalog when the stream says the table's schema changed (a new Relation message).
 */
public final class CdcTables {
    private final TableRegistry registry;
    private final Map<String, TableSpec> byPostgresName = new ConcurrentHashMap<>();
    private final Map<String, TableSpec> byRoute = new ConcurrentHashMap<>();
    private volatile List<TableConfig> configs;

    public CdcTables(TableRegistry registry) {
        this.registry = registry;
    }

    /** The cdc tables' settings, read once (a new table needs a restart, as every table does). */
    public List<TableConfig> configs() {
        List<TableConfig> known = configs;
        if (known == null) {
            try {
                known = registry.configs().stream().filter(c -> c.mode() == SyncMode.CDC).toList();
            } catch (ConfigException e) {
                known = List.of(); // a bad table block: the start-up check reports it
            }
            configs = known;
        }
        return known;
    }

    /** Whether any table is in cdc mode. */
    public boolean any() {
        return !configs().isEmpty();
    }

    /** Resolves every cdc table against the catalog (a missing table or column is a {@link ConfigException}). */
    public List<TableSpec> load() {
        List<TableSpec> specs = new ArrayList<>();
        for (TableConfig config : configs()) {
            specs.add(put(registry.spec(config)));
        }
        return specs;
    }

    /** The table's spec as the catalog has it now (its columns may have changed). */
    public TableSpec refresh(String routeId) {
        TableConfig config = configs().stream().filter(c -> c.routeId().equals(routeId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + routeId + "' is not a cdc table"));
        return put(registry.spec(config));
    }

    private TableSpec put(TableSpec spec) {
        byPostgresName.put(name(spec.source().schema(), spec.source().name()), spec);
        byRoute.put(spec.routeId(), spec);
        return spec;
    }

    /** The cdc table a change of {@code relation} belongs to, if it is one. */
    public Optional<TableSpec> of(Relation relation) {
        return Optional.ofNullable(byPostgresName.get(name(relation.schema(), relation.name())));
    }

    /** The table's current spec. */
    public TableSpec spec(String routeId) {
        TableSpec spec = byRoute.get(routeId);
        if (spec == null) {
            throw new IllegalArgumentException("'" + routeId + "' is not a cdc table (or not loaded)");
        }
        return spec;
    }

    /** Every loaded spec. */
    public List<TableSpec> specs() {
        return List.copyOf(byRoute.values());
    }

    /** What is streamed: the slot, the publication and these tables. */
    public ReplicationSpec replication(String slot, String publication) {
        return new ReplicationSpec(slot, publication, specs().stream().map(s -> s.source().qualifiedName()).toList());
    }

    private static String name(String schema, String table) {
        return schema + "\u0000" + table;
    }
}
