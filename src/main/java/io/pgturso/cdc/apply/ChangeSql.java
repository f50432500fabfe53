package io.pgturso.cdc.apply;

import io.pgturso.source.ColumnSpec;
import io.pgturso.source.Sql;
import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSql;
import io.pgturso.types.Doubles;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The target statements of the changes beyond the table's upsert and delete: an update that writes only the columns
 * the change sent (a large value it left unchanged keeps the target's), a row moved to a new key keeping such values
 * from its old row, and a truncate. Built once per table and set of columns left out.
 */
final class ChangeSql {
    private final Map<TableSpec, Map<Set<String>, String>> updates = new IdentityHashMap<>();
    private final Map<TableSpec, Map<Set<String>, String>> moves = new IdentityHashMap<>();
    private final Map<TableSpec, String[]> plain = new IdentityHashMap<>();

    /** The table's upsert of a whole row. */
    synchronized String upsert(TableSpec spec) {
        return plain(spec)[0];
    }

    /** The table's delete by key. */
    synchronized String delete(TableSpec spec) {
        return plain(spec)[1];
    }

    /** Deletes every row of the table. */
    synchronized String truncate(TableSpec spec) {
        return plain(spec)[2];
    }

    private String[] plain(TableSpec spec) {
        return plain.computeIfAbsent(spec, s -> new String[] {TargetSql.upsert(s), TargetSql.delete(s),
            "DELETE FROM " + Sql.quote(s.targetTable())});
    }

    /** {@code UPDATE} of the sent columns by key: parameters {@link #sent} then the key. */
    synchronized String update(TableSpec spec, Set<String> unsent) {
        return updates.computeIfAbsent(spec, s -> new ConcurrentHashMap<>()).computeIfAbsent(Set.copyOf(unsent), u -> {
            List<ColumnSpec> set = written(spec, u).stream().filter(c -> !spec.key().contains(c)).toList();
            String table = Sql.quote(spec.targetTable());
            if (set.isEmpty()) {
                return "UPDATE " + table + " SET " + Sql.quote(spec.key().get(0).target()) + " = "
                        + Sql.quote(spec.key().get(0).target()) + " WHERE " + keyMatch(spec, "") + " AND 0";
            }
            return "UPDATE " + table + " SET " + set.stream().map(c -> Sql.quote(c.target()) + " = " + placeholder(spec, c))
                    .collect(Collectors.joining(", ")) + " WHERE " + keyMatch(spec, "");
        });
    }

    /**
     * The row under its new key, the columns the change left out taken from its row under the old key (which is deleted
     * after): parameters {@link #sent} (key included) then the old key.
     */
    synchronized String move(TableSpec spec, Set<String> unsent) {
        return moves.computeIfAbsent(spec, s -> new ConcurrentHashMap<>()).computeIfAbsent(Set.copyOf(unsent), u -> {
            List<ColumnSpec> columns = spec.targetColumns();
            List<ColumnSpec> sent = written(spec, u);
            String table = Sql.quote(spec.targetTable());
            String values = columns.stream().map(c -> sent.contains(c) ? placeholder(spec, c) : "old." + Sql.quote(c.target()))
                    .collect(Collectors.joining(", "));
            List<ColumnSpec> updated = columns.stream().filter(c -> !spec.key().contains(c)).toList();
            String conflict = updated.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + updated.stream()
                    .map(c -> Sql.quote(c.target()) + " = excluded." + Sql.quote(c.target())).collect(Collectors.joining(", "));
            return "INSERT INTO " + table + " (" + Sql.quotedList(columns.stream().map(ColumnSpec::target).toList())
                    + ") SELECT " + values + " FROM " + table + " AS old WHERE " + keyMatch(spec, "old.")
                    + " ON CONFLICT (" + Sql.quotedList(spec.key().stream().map(ColumnSpec::target).toList()) + ") " + conflict;
        });
    }

    /**
     * The parameters of the written columns, in target column order, from a transformed row's values ({@code values}
     * hold every target column, a REAL one as two when doubles are sent exactly); {@code withKey} keeps the key columns.
     */
    static List<Object> sent(TableSpec spec, Set<String> unsent, List<Object> values, boolean withKey) {
        List<Object> out = new ArrayList<>(values.size());
        int i = 0;
        for (ColumnSpec c : spec.targetColumns()) {
            int width = spec.exactDoubles() && c.kind().isReal() ? 2 : 1;
            if (!isUnsent(spec, c, unsent) && (withKey || !spec.key().contains(c))) {
                out.addAll(values.subList(i, i + width));
            }
            i += width;
        }
        return out;
    }

    /** The target columns a change writes: all but those whose Postgres column it did not send. */
    private static List<ColumnSpec> written(TableSpec spec, Set<String> unsent) {
        return spec.targetColumns().stream().filter(c -> !isUnsent(spec, c, unsent)).toList();
    }

    private static boolean isUnsent(TableSpec spec, ColumnSpec c, Set<String> unsent) {
        // a column the hook adds or computes has no Postgres column: it is written as the hook made it
        return unsent.contains(c.source()) && spec.columns().contains(c);
    }

    private static String placeholder(TableSpec spec, ColumnSpec c) {
        return spec.exactDoubles() && c.kind().isReal() ? Doubles.EXACT_PLACEHOLDER : "?";
    }

    private static String keyMatch(TableSpec spec, String prefix) {
        return spec.key().stream().map(k -> prefix + Sql.quote(k.target()) + " = ?").collect(Collectors.joining(" AND "));
    }
}
