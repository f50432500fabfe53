package io.pgturso.source;

import io.pgturso.config.ConfigException;
import io.pgturso.config.TableParameters;
import io.pgturso.types.ColumnKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What a table's configuration changes in the copy: a row filter and computed columns evaluated by Postgres
 * ({@code where}, {@code expressions}), and a row hook route ({@code transform}) with the columns it adds or drops.
 */
public record RowChanges(
        String where,
        Map<String, String> expressions,
        String transform,
        Map<String, ColumnKind> addColumns,
        List<String> dropColumns) {

    /** No filter, no computed column, no hook. */
    public static final RowChanges NONE = new RowChanges("", Map.of(), "", Map.of(), List.of());

    /** SQLite types a hook's added column may have, and the mapping that declares each. */
    private static final Map<String, ColumnKind> ADDED_TYPES = Map.of("TEXT", ColumnKind.TEXT, "INTEGER", ColumnKind.INTEGER,
            "REAL", ColumnKind.REAL, "BLOB", ColumnKind.BLOB);

    /** Reads the parameters {@code where}, {@code expressions}, {@code transform}, {@code addColumns}, {@code dropColumns}. */
    public static RowChanges fromParameters(String table, UnaryOperator<String> parameter) {
        String label = "Table '" + table + "'";
        String where = parameter.apply(TableParameters.WHERE.name()).trim();
        if (where.contains(";")) {
            throw new ConfigException(label + ": where '" + where + "' must be one SQL condition, without ';'");
        }
        Map<String, String> expressions = new LinkedHashMap<>();
        for (String entry : splitTopLevel(parameter.apply(TableParameters.EXPRESSIONS.name()))) {
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).trim();
            String sql = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (name.isEmpty() || sql.isEmpty() || sql.contains(";")) {
                throw new ConfigException(label + ": expressions entry '" + entry
                        + "' must look like name: SQL expression (e.g. full_name: first_name || ' ' || last_name)");
            }
            if (expressions.put(name, sql) != null) {
                throw new ConfigException(label + ": expressions names column '" + name + "' twice");
            }
        }
        String transform = parameter.apply(TableParameters.TRANSFORM.name()).trim();
        Map<String, ColumnKind> added = new LinkedHashMap<>();
        for (String entry : splitTopLevel(parameter.apply(TableParameters.ADD_COLUMNS.name()))) {
            String[] parts = entry.split(":", 2);
            ColumnKind kind = parts.length == 2 ? ADDED_TYPES.get(parts[1].trim().toUpperCase(Locale.ROOT)) : null;
            if (parts[0].isBlank() || kind == null) {
                throw new ConfigException(label + ": addColumns entry '" + entry
                        + "' must look like name:TYPE with TYPE one of TEXT, INTEGER, REAL, BLOB (e.g. email_hash:TEXT)");
            }
            added.put(parts[0].trim(), kind);
        }
        List<String> dropped = splitTopLevel(parameter.apply(TableParameters.DROP_COLUMNS.name()));
        if (transform.isEmpty() && (!added.isEmpty() || !dropped.isEmpty())) {
            throw new ConfigException(label + ": addColumns and dropColumns are the columns a transform hook adds or removes: "
                    + "set transform (e.g. direct:my-hook) too, or use exclude to leave columns out");
        }
        return new RowChanges(where, expressions, transform, added, dropped);
    }

    /** Whether a {@code where} filter applies. */
    public boolean filters() {
        return !where.isEmpty();
    }

    /** A Postgres condition true exactly for the rows the where keeps (NULL counts as not matching). */
    public String matches() {
        return "((" + where + ") IS TRUE)";
    }

    /** Whether rows pass through a hook route. */
    public boolean hooked() {
        return !transform.isEmpty();
    }

    /** Whether a target column name (as the hook sees it) is left out of the target table. */
    public boolean drops(String targetName) {
        return dropColumns.stream().anyMatch(d -> d.equalsIgnoreCase(targetName));
    }

    /** Names the target would get twice, ignoring case as SQLite does. */
    static void checkUnique(String label, List<String> names) {
        Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            if (!seen.add(n.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(label + ": two columns would be named '" + n + "' in the target (SQLite names ignore case)");
            }
        }
    }

    /** Splits on commas outside parentheses and quotes, so expressions may hold function calls and string literals. */
    static List<String> splitTopLevel(String value) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        StringBuilder current = new StringBuilder();
        for (char ch : value.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                add(out, current);
                current.setLength(0);
                continue;
            }
            current.append(ch);
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder entry) {
        String s = entry.toString().trim();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }
}
