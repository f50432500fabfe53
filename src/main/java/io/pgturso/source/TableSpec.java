package io.pgturso.source;

import io.pgturso.config.ConfigException;
import io.pgturso.types.ColumnKind;
import io.pgturso.types.Doubles;
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
        CopyRules rules,
        boolean exactDoubles,
        String fanOut) {

    /** The table's row changes resolved: the computed columns (typed by Postgres) and the hook's added columns. */
    public record CopyRules(RowChanges changes, List<ColumnSpec> computed, List<ColumnSpec> added) {
        static final CopyRules NONE = new CopyRules(RowChanges.NONE, List.of(), List.of());
    }

    /** As {@link #resolve(TableConfig, SourceTable, boolean, long, boolean)} for a target that reads doubles exactly. */
    public static TableSpec resolve(TableConfig config, SourceTable table, boolean numericAsText, long maxValueBytes) {
        return resolve(config, table, List.of(), numericAsText, maxValueBytes, false);
    }

    /**
     * Checks {@code config} against the catalog's {@code table}, with the result columns of the table's
     * {@code expressions} as Postgres typed them, in order; every mismatch is a {@link ConfigException}. With
     * {@code exactDoubles}, REAL values are written as mantissa and exponent ({@link Doubles#EXACT_PLACEHOLDER}).
     */
    public static TableSpec resolve(TableConfig config, SourceTable table, List<SourceColumn> computedColumns,
            boolean numericAsText, long maxValueBytes, boolean exactDoubles) {
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
            columns.add(new ColumnSpec(c.name(), target, c.declaredType(), c.kind(numericAsText), !c.notNull()));
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
        checkKeptExactly(label, config.routeId(), key);
        for (ColumnSpec k : key) {
            // a NULL in the key matches no keyset comparison: such a row would be skipped, or never found again (a
            // view's columns are never NOT NULL in the catalog: its passes check the rows instead, see TablePass)
            if (k.nullable() && !table.view()) {
                throw new ConfigException(label + ": key column '" + k.source() + "' may be NULL in Postgres, and a key must "
                        + "identify every row: make it NOT NULL (ALTER TABLE ... ALTER COLUMN " + k.source()
                        + " SET NOT NULL), or set camel.route-template[" + config.routeId() + "].key to columns that are");
            }
        }
        ColumnSpec cursor = null;
        if (!config.cursor().isBlank()) {
            if (table.column(config.cursor()).isEmpty()) {
                throw new ConfigException(label + ": cursor column '" + config.cursor() + "' does not exist in Postgres (columns: "
                        + table.columns().stream().map(SourceColumn::name).toList() + "). Name one of them that every change"
                        + " sets, or, without one:" + NoCursorChoices.of(config.routeId()));
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
        for (SourceColumn c : computedColumns) {
            if (table.column(c.name()).isPresent()) {
                throw new ConfigException(label + ": computed column '" + c.name() + "' has the name of a Postgres column; name it otherwise");
            }
        }
        String targetTable = config.targetTable().isBlank() ? table.name() : config.targetTable();
        if (config.fansOut() && config.mode() == SyncMode.FULL) {
            throw new ConfigException(label + ": fanOut works with mode timestamp or incrementing (a full-mode pass compares "
                    + "each page with one target's rows): give the table a cursor, or remove camel.route-template["
                    + config.routeId() + "].fan-out");
        }
        return new TableSpec(config.routeId(), table, targetTable, List.copyOf(columns), key, cursor, config.mode(),
                config.batchSize(), softDelete, maxValueBytes, rules(label, config.changes(), columns, key, cursor,
                        computedColumns, numericAsText), exactDoubles, config.fanOut());
    }

    /** Refuses a key column whose distinct Postgres values could become one target row: keys identify rows. */
    private static void checkKeptExactly(String label, String routeId, List<ColumnSpec> key) {
        String otherKey = "camel.route-template[" + routeId + "].key=col1,col2";
        for (ColumnSpec k : key) {
            String problem = switch (k.kind()) {
                case NUMERIC_REAL -> "would be stored as REAL (sync.types.numeric = real), a double of about 16 significant "
                        + "digits: keys such as 12345678901234567890 and 12345678901234567891 would become one target row. "
                        + "Set sync.types.numeric = text (numeric as exact text), or name other key columns with " + otherKey;
                case JSON_ARRAY, JSON_TIMESTAMPTZ_ARRAY, JSON_TIMESTAMP_ARRAY -> "is an array, stored as JSON without its "
                        + "lower bounds: keys that differ in Postgres only by them ('[0:1]={1,2}' and '{1,2}') would become "
                        + "one target row. Name other key columns with " + otherKey;
                default -> null;
            };
            if (problem != null) {
                throw new ConfigException(label + ": key column '" + k.source() + "' (" + k.declaredType() + ") " + problem);
            }
        }
    }

    private static CopyRules rules(String label, RowChanges changes, List<ColumnSpec> columns, List<ColumnSpec> key,
            ColumnSpec cursor, List<SourceColumn> computedColumns, boolean numericAsText) {
        if (changes == null || changes.equals(RowChanges.NONE)) {
            return CopyRules.NONE;
        }
        List<ColumnSpec> computed = computedColumns.stream()
                .map(c -> new ColumnSpec(c.name(), c.name(), c.declaredType(), c.kind(numericAsText), true)).toList();
        List<ColumnSpec> added = changes.addColumns().entrySet().stream()
                .map(e -> new ColumnSpec(e.getKey(), e.getKey(), e.getValue().targetType(), e.getValue(), true)).toList();
        List<String> names = new ArrayList<>();
        columns.forEach(c -> names.add(c.target()));
        computed.forEach(c -> names.add(c.target()));
        added.forEach(c -> names.add(c.target()));
        RowChanges.checkUnique(label, names);
        for (String d : changes.dropColumns()) {
            if (names.stream().noneMatch(n -> n.equalsIgnoreCase(d))) {
                throw new ConfigException(label + ": dropColumns names '" + d + "', which is not a column of the copy (columns: " + names + ")");
            }
            boolean essential = key.stream().anyMatch(k -> k.target().equalsIgnoreCase(d)) || cursor != null && cursor.target().equalsIgnoreCase(d);
            if (essential) {
                throw new ConfigException(label + ": key and cursor columns cannot be dropped ('" + d + "')");
            }
        }
        return new CopyRules(changes, computed, added);
    }

    /** The columns of the target table, in order: the copied ones the hook does not drop, the computed ones, the added ones. */
    public List<ColumnSpec> targetColumns() {
        if (rules.equals(CopyRules.NONE)) {
            return columns;
        }
        List<ColumnSpec> out = new ArrayList<>();
        for (ColumnSpec c : columns) {
            if (!rules.changes().drops(c.target())) {
                out.add(c);
            }
        }
        rules.computed().forEach(c -> {
            if (!rules.changes().drops(c.target())) {
                out.add(c);
            }
        });
        out.addAll(rules.added());
        return out;
    }

    /** The columns a row hook receives, by target name: every copied and computed column. */
    public List<ColumnSpec> hookColumns() {
        List<ColumnSpec> out = new ArrayList<>(columns);
        out.addAll(rules.computed());
        return out;
    }

    /** The columns the pages are ordered by: cursor (unless full mode) then key. */
    public List<ColumnSpec> positionColumns() {
        List<ColumnSpec> out = new ArrayList<>();
        if (!mode.readsWholeTable() && cursor != null) {
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
        return !mode.readsWholeTable() && cursor != null && cursor.nullable();
    }

    /** Whether each row goes to its tenant's own database, named by the {@code fanOut} column or expression. */
    public boolean fansOut() {
        return fanOut != null && !fanOut.isBlank();
    }

    /**
     * The same table restricted to one tenant's rows (its {@code where} and the fan-out value equal to {@code tenant}): how
     * verify, resync and the delete reconciliation see one tenant's database.
     */
    public TableSpec forTenant(String tenant) {
        String only = "CAST((" + fanOut + ") AS text) = " + Sql.literal(tenant);
        RowChanges c = rules.changes();
        String where = c.filters() ? "(" + c.where() + ") AND " + only : only;
        CopyRules narrowed = new CopyRules(new RowChanges(where, c.expressions(), c.transform(), c.addColumns(), c.dropColumns()),
                rules.computed(), rules.added());
        return new TableSpec(routeId, source, targetTable, columns, key, cursor, mode, batchSize, softDelete, maxValueBytes,
                narrowed, exactDoubles, fanOut);
    }

    /** The same table read whole in key order, as full mode reads it: how a resync of one tenant compares it with its database. */
    public TableSpec inKeyOrder() {
        return new TableSpec(routeId, source, targetTable, columns, key, cursor, SyncMode.FULL, batchSize, softDelete,
                maxValueBytes, rules, exactDoubles, fanOut);
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
