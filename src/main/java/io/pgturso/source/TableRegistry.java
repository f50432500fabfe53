package io.pgturso.source;

import io.pgturso.config.ConfigException;
import io.pgturso.config.SettingValues;
import io.pgturso.config.Settings;
import io.pgturso.config.TableParameters;
import io.pgturso.target.DoubleProbe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** The tables to sync: one per instance of the {@code table-sync} route template, checked against Postgres. */
public class TableRegistry {
    /** Parameters every {@code table-sync} instance has; they tell its routes apart from others. */
    private static final List<String> TEMPLATE_PARAMETERS = List.of(TableParameters.TABLE.name(), TableParameters.CURSOR.name(),
            TableParameters.MODE.name(), TableParameters.BATCH_SIZE.name(), TableParameters.SCHEDULE.name());

    private final TableBlocks blocks;
    private final SourceCatalog catalog;
    private final boolean numericAsText;
    private final long maxValueBytes;
    private final BooleanSupplier exactDoublesProbe;
    private Boolean exactDoubles;

    public TableRegistry(TableBlocks blocks, SourceCatalog catalog, boolean numericAsText, long maxValueBytes) {
        this(blocks, catalog, numericAsText, maxValueBytes, () -> false);
    }

    /** With {@code exactDoublesProbe}, asked once, whether REAL values need the exact encoding ({@link DoubleProbe}). */
    public TableRegistry(TableBlocks blocks, SourceCatalog catalog, boolean numericAsText, long maxValueBytes,
            BooleanSupplier exactDoublesProbe) {
        this.exactDoublesProbe = exactDoublesProbe;
        this.maxValueBytes = maxValueBytes;
        this.blocks = blocks;
        this.catalog = catalog;
        this.numericAsText = numericAsText;
    }

    /** The configured tables, in route order. */
    public List<TableConfig> configs() {
        List<TableConfig> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> route : blocks.instances().entrySet()) {
            Map<String, Object> params = route.getValue();
            if (params != null && params.keySet().containsAll(TEMPLATE_PARAMETERS)) {
                TableConfig config = TableConfig.fromParameters(route.getKey(), params, blocks::resolvePlaceholders);
                out.add(config.fansOut() && !setForTable(config.routeId(), TableParameters.BATCH_SIZE.name())
                        ? config.withBatchSize(new SettingValues(blocks::property).integer(Settings.FAN_OUT_BATCH_SIZE)) : config);
            }
        }
        return out;
    }

    /** Whether the table's block sets this parameter itself (in camelCase or kebab-case), rather than taking its default. */
    private boolean setForTable(String routeId, String parameter) {
        String kebab = parameter.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
        return blocks.property("camel.route-template[" + routeId + "]." + parameter).isPresent()
                || blocks.property("camel.route-template[" + routeId + "]." + kebab).isPresent();
    }

    /** The configuration of one table route. */
    public Optional<TableConfig> config(String routeId) {
        return configs().stream().filter(c -> c.routeId().equals(routeId)).findFirst();
    }

    /** Resolves a table against the current Postgres catalog (so columns added since the last pass are seen). */
    public TableSpec spec(TableConfig config) {
        SourceTable table = catalog.describe(config.table());
        if (config.fansOut()) {
            catalog.checkFanOut(table, config.fanOut());
        }
        return TableSpec.resolve(config, table, catalog.describeChanges(table, config.changes()), numericAsText, maxValueBytes,
                exactDoubles());
    }

    private synchronized boolean exactDoubles() {
        if (exactDoubles == null) {
            exactDoubles = exactDoublesProbe.getAsBoolean();
        }
        return exactDoubles;
    }

    /** Whether pages of this table can be read through an index on its cursor (or key, in full mode). */
    public boolean hasPageIndex(TableSpec spec) {
        return catalog.hasIndexLeadingWith(spec.source(), spec.positionColumns().get(0).source());
    }

    /** Checks every table against Postgres and each other; all problems are reported at once. */
    public List<TableSpec> validate() {
        List<String> problems = new ArrayList<>();
        List<TableSpec> specs = new ArrayList<>();
        Map<String, String> targets = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        for (TableConfig config : configs()) {
            try {
                String cronProblem = TableParameters.SCHEDULE.problem(config.schedule());
                if (cronProblem != null) {
                    problems.add("Table '" + config.routeId() + "': schedule '" + config.schedule() + "' " + cronProblem
                            + " (set camel.route-template[" + config.routeId() + "].schedule, or sync.schedule for every table)");
                    continue;
                }
                TableSpec spec = spec(config);
                String previous = targets.put(spec.targetTable().toLowerCase(), config.routeId());
                if (previous != null) {
                    problems.add("Tables '" + previous + "' and '" + config.routeId() + "' both write target table '"
                            + spec.targetTable() + "': remove one, or give one another targetTable");
                    continue;
                }
                String reader = sources.put(spec.source().qualifiedName(), config.routeId());
                if (reader != null) {
                    problems.add("Tables '" + reader + "' and '" + config.routeId() + "' both read Postgres table "
                            + spec.source().qualifiedName() + ": keep one block per Postgres table");
                    continue;
                }
                String hook = spec.rules().changes().transform();
                if (hook.startsWith("direct:") && !blocks.consumed(hook)) {
                    problems.add("Table '" + config.table() + "': transform '" + hook + "' names no route: add a route with 'from: "
                            + hook + "' to routes/ (examples in routes/examples/)");
                    continue;
                }
                specs.add(spec);
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        return specs;
    }
}
