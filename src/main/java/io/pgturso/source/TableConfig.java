package io.pgturso.source;

import io.pgturso.config.ConfigException;
import io.pgturso.config.Setting;
import io.pgturso.config.TableParameters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** What the user configured for one table: the parameters of one {@code table-sync} route-template instance. */
public record TableConfig(
        String routeId,
        String table,
        String cursor,
        SyncMode mode,
        List<String> key,
        List<String> columns,
        List<String> exclude,
        Map<String, String> rename,
        String targetTable,
        int batchSize,
        String schedule,
        String softDelete,
        RowChanges changes,
        String fanOut) {

    /** A table without filter, computed columns or row hook. */
    public TableConfig(String routeId, String table, String cursor, SyncMode mode, List<String> key, List<String> columns,
            List<String> exclude, Map<String, String> rename, String targetTable, int batchSize, String schedule, String softDelete) {
        this(routeId, table, cursor, mode, key, columns, exclude, rename, targetTable, batchSize, schedule, softDelete, RowChanges.NONE);
    }

    /** A table whose rows all go to one database (no fan-out). */
    public TableConfig(String routeId, String table, String cursor, SyncMode mode, List<String> key, List<String> columns,
            List<String> exclude, Map<String, String> rename, String targetTable, int batchSize, String schedule, String softDelete,
            RowChanges changes) {
        this(routeId, table, cursor, mode, key, columns, exclude, rename, targetTable, batchSize, schedule, softDelete, changes, "");
    }

    /** Whether the table's rows go to one database per tenant ({@code fanOut}). */
    public boolean fansOut() {
        return !fanOut.isBlank();
    }

    /** The same table with pages of {@code rows} rows. */
    public TableConfig withBatchSize(int rows) {
        return new TableConfig(routeId, table, cursor, mode, key, columns, exclude, rename, targetTable, rows, schedule, softDelete,
                changes, fanOut);
    }

    /** Reads the instance's parameters; {@code resolve} expands property placeholders in them. */
    public static TableConfig fromParameters(String routeId, Map<String, Object> params, UnaryOperator<String> resolve) {
        String table = text(params, TableParameters.TABLE, resolve);
        if (table.isBlank()) {
            throw new ConfigException("Table route '" + routeId + "' has no 'table' parameter: set camel.route-template["
                    + routeId + "].table to the Postgres table to copy");
        }
        SyncMode mode = SyncMode.parse(text(params, TableParameters.MODE, resolve), table);
        String cursor = text(params, TableParameters.CURSOR, resolve);
        if (!mode.readsWholeTable() && cursor.isBlank()) {
            throw new ConfigException("Table '" + table + "': mode " + mode.name().toLowerCase() + " needs a cursor column, one"
                    + " that every change sets (camel.route-template[" + routeId + "].cursor). Without one:"
                    + NoCursorChoices.of(routeId));
        }
        String batch = text(params, TableParameters.BATCH_SIZE, resolve);
        int batchSize;
        try {
            batchSize = Integer.parseInt(batch.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("Table '" + table + "': batchSize '" + batch + "' is not a whole number");
        }
        if (batchSize < TableParameters.BATCH_SIZE.min() || batchSize > TableParameters.BATCH_SIZE.max()) {
            throw new ConfigException("Table '" + table + "': batchSize " + batchSize + " must be between "
                    + TableParameters.BATCH_SIZE.min() + " and " + TableParameters.BATCH_SIZE.max());
        }
        TableConfig config = new TableConfig(routeId, table.trim(), cursor.trim(), mode,
                list(text(params, TableParameters.KEY, resolve)), list(text(params, TableParameters.COLUMNS, resolve)),
                list(text(params, TableParameters.EXCLUDE, resolve)), renames(text(params, TableParameters.RENAME, resolve), table),
                text(params, TableParameters.TARGET_TABLE, resolve).trim(), batchSize,
                text(params, TableParameters.SCHEDULE, resolve).trim(), text(params, TableParameters.SOFT_DELETE, resolve).trim(),
                RowChanges.fromParameters(table.trim(), name -> text(params, TableParameters.named(name), resolve)),
                fanOut(routeId, text(params, TableParameters.FAN_OUT, resolve), table.trim()));
        if (mode == SyncMode.CDC) {
            refuseForCdc(config);
        }
        return config;
    }

    /** What Postgres would compute for a page and the change stream does not carry: refused, naming what does work. */
    private static void refuseForCdc(TableConfig config) {
        String p = "camel.route-template[" + config.routeId() + "].";
        String refused = !config.cursor().isBlank() ? "cursor (the stream sends every change; remove " + p + "cursor)"
                : config.changes().filters() ? "where (the stream sends every row; filter in a row hook, " + p + "transform, "
                        + "or use mode = full)"
                : !config.changes().expressions().isEmpty() ? "expressions (Postgres computes them on reading a page; "
                        + "compute the columns in a row hook, " + p + "transform with addColumns, or use mode = full)"
                : config.fansOut() && fanOutColumn(config.fanOut()) == null ? "fan-out expression '" + config.fanOut()
                        + "' (the stream carries columns, Postgres computes no expression for it): name a column in "
                        + p + "fan-out, or use mode = timestamp (with a cursor) or incrementing"
                : null;
        if (refused != null) {
            throw new ConfigException("Table '" + config.table() + "': mode cdc takes no " + refused);
        }
    }

    /**
     * The Postgres column a fan-out names, as the stream names it (an unquoted name folded to lower case, a quoted one
     * as written), or null when the fan-out is an expression rather than one column.
     */
    public static String fanOutColumn(String fanOut) {
        String e = fanOut.trim();
        if (e.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
            return e.toLowerCase(java.util.Locale.ROOT);
        }
        if (e.length() > 2 && e.startsWith("\"") && e.endsWith("\"") && !e.substring(1, e.length() - 1).replace("\"\"", "").contains("\"")) {
            return e.substring(1, e.length() - 1).replace("\"\"", "\"");
        }
        return null;
    }

    private static String fanOut(String routeId, String expression, String table) {
        String e = expression.trim();
        if (e.contains(";")) {
            throw new ConfigException("Table '" + table + "': fanOut '" + e + "' must be one column or SQL expression, without ';'"
                    + " (camel.route-template[" + routeId + "].fan-out)");
        }
        return e;
    }

    private static String text(Map<String, Object> params, Setting parameter, UnaryOperator<String> resolve) {
        String name = parameter.name();
        Object value = params.get(name);
        Object kebab = params.get(kebab(name));
        // the template gives every parameter its default: a value set under the kebab-case name (fan-out) wins over it
        if (value == null || kebab != null && value.toString().isBlank()) {
            value = kebab;
        }
        return value == null ? "" : resolve.apply(value.toString());
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }

    private static List<String> list(String value) {
        if (value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, String> renames(String value, String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : list(value)) {
            String[] parts = pair.split(":", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new ConfigException("Table '" + table + "': rename entry '" + pair + "' must look like source_column:target_column");
            }
            out.put(parts[0].trim(), parts[1].trim());
        }
        return out;
    }
}
