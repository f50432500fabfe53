package io.pgturso.sync;

import io.pgturso.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Everything a pass needs to copy one table: the configuration checked against the Postgres catalog. */
public record TableSpec(
        String routeId,
        SourceTable source,
        String targetTable,
        List<ColumnSpec> columns,
        List<ColumnSpec> key,
        ColumnSpec cursor,
        SyncMode mode,
        int batchSize,
        ColumnSpec softDelete,
        long maxValueBytes,
        boolean exactDoubles) {

    /** As {@link #resolve(TableConfig, SourceTable, boolean, long, boolean)} for a target that reads doubles exactly. */
    public static TableSpec resolve(TableConfig config, SourceTable table, boolean numericAsText, long maxValueBytes) {
        return resolve(config, table, numericAsText, maxValueBytes, false);
    }

    /**
     * Checks {@code config} against the catalog's {@code table}; every mismatch is a {@link ConfigException}. With
     * {@code exactDoubles}, REAL values are written as mantissa and exponent ({@link Doubles#EXACT_PLACEHOLDER}).
     */
    public static TableSpec resolve(TableConfig config, SourceTable table, boolean numericAsText, long maxValueBytes,
            boolean exactDoubles) {
        String label = "Table '" + config.table() + "'";
        for (String name : concat(config.columns(), config.exclude(), List.copyOf(config.rename().keySet()))) {
            if (table.column(name).isEmpty()) {
                throw new ConfigException(label + ": column '" + name + "' does not exist in Postgres (columns: "
                        + table.columns().stream().map(SourceColumn::name).toList() + ")");
            }
        }
        List<String> keyNames = config.key().isEmpty() ? table.primaryKey() : config.key();
        if (keyNames.isEmpty()) {
            throw new ConfigException(label + " has no primary key: add one in Postgres, or name the columns that identify a row with camel.route-template["
                    + config.routeId() + "].key=col1,col2");
        }
        List<ColumnSpec> columns = new ArrayList<>();
        Set<String> targetNames = new HashSet<>();
        for (SourceColumn c : table.columns()) {
            boolean included = config.columns().isEmpty() || config.columns().contains(c.name()) || keyNames.contains(c.name());
            if (!included || config.exclude().contains(c.name()) && !keyNames.contains(c.name())) {
                continue;
            }
            String target = config.rename().getOrDefault(c.name(), c.name());
            if (!targetNames.add(target.toLowerCase())) {
                throw new ConfigException(label + ": two columns would be named '" + target + "' in the target (SQLite names ignore case)");
            }
            columns.add(new ColumnSpec(c.name(), target, c.declaredType(), ColumnKind.of(c, numericAsText), !c.notNull()));
        }
        for (String k : keyNames) {
            if (table.column(k).isEmpty()) {
                throw new ConfigException(label + ": key column '" + k + "' does not exist in Postgres");
            }
            if (config.exclude().contains(k)) {
                throw new ConfigException(label + ": key column '" + k + "' cannot be excluded");
            }
        }
        List<ColumnSpec> key = keyNames.stream().map(k -> find(columns, k)).toList();
        ColumnSpec cursor = null;
        if (!config.cursor().isBlank()) {
            if (table.column(config.cursor()).isEmpty()) {
                throw new ConfigException(label + ": cursor column '" + config.cursor() + "' does not exist in Postgres (columns: "
                        + table.columns().stream().map(SourceColumn::name).toList() + ")");
            }
            if (columns.stream().noneMatch(c -> c.source().equals(config.cursor()))) {
                throw new ConfigException(label + ": cursor column '" + config.cursor() + "' must be synced, not excluded");
            }
            cursor = find(columns, config.cursor());
            if (!cursor.kind().canBeCursor()) {
                throw new ConfigException(label + ": cursor column '" + config.cursor() + "' has type " + cursor.declaredType()
                        + "; a cursor must be an integer, date or timestamp column");
            }
        }
        ColumnSpec softDelete = null;
        if (!config.softDelete().isBlank()) {
            if (columns.stream().noneMatch(c -> c.source().equals(config.softDelete()))) {
                throw new ConfigException(label + ": softDelete column '" + config.softDelete()
                        + "' does not exist in Postgres or is not synced");
            }
            softDelete = find(columns, config.softDelete());
        }
        String targetTable = config.targetTable().isBlank() ? table.name() : config.targetTable();
        return new TableSpec(config.routeId(), table, targetTable, List.copyOf(columns), key, cursor, config.mode(),
                config.batchSize(), softDelete, maxValueBytes, exactDoubles);
    }

    /** The columns the pages are ordered by: cursor (unless full mode) then key. */
    public List<ColumnSpec> positionColumns() {
        List<ColumnSpec> out = new ArrayList<>();
        if (mode != SyncMode.FULL && cursor != null) {
            out.add(cursor);
        }
        for (ColumnSpec k : key) {
            if (!out.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Whether rows with a NULL cursor exist possibly; they are swept by key after the cursor pages. */
    public boolean sweepsNullCursor() {
        return mode != SyncMode.FULL && cursor != null && cursor.nullable();
    }

    /** The key as a readable label, for logs. */
    public String keyLabel() {
        return key.stream().map(ColumnSpec::source).toList().toString();
    }

    private static ColumnSpec find(List<ColumnSpec> columns, String source) {
        return columns.stream().filter(c -> c.source().equals(source)).findFirst().orElseThrow();
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        out.addAll(c);
        return out;
    }
}
