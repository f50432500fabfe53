package io.pgturso.cdc.apply;

import io.pgturso.cdc.pgoutput.Relation;
import io.pgturso.cdc.pgoutput.TupleData;
import io.pgturso.cdc.pgoutput.TupleValue;
import io.pgturso.source.ChangeQuery;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableSpec;
import io.pgturso.types.ColumnKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row of a change as a page would have read it: Postgres column name to the value a page read gets, so that the
 * type mapping, the row hook and the dead letters treat it alike ({@link ColumnKind#fromText}). Columns the change did
 * not send (a large value it left unchanged, or a column the stream does not carry) are listed in {@code unsent}: the
 * target keeps their values. A value that cannot be read names itself in {@code problem}.
 */
record ChangeRow(Map<String, Object> values, Set<String> unsent, String problem) {

    /** The row of {@code tuple} (laid out as {@code relation}), for the columns of {@code spec}. */
    static ChangeRow of(TableSpec spec, Relation relation, TupleData tuple, TextCasts casts) {
        List<ColumnSpec> columns = spec.columns();
        Map<String, Object> values = new HashMap<>(columns.size() * 2 + 4);
        Set<String> unsent = Set.of();
        String problem = null;
        List<ColumnSpec> key = spec.key();
        for (ColumnSpec c : columns) {
            int i = index(relation, c.source());
            TupleValue value = i < 0 || i >= tuple.size() ? TupleValue.UNCHANGED_TOAST : tuple.get(i);
            if (value instanceof TupleValue.Text text) {
                try {
                    values.put(c.source(), read(c, text, values, casts));
                } catch (RuntimeException e) {
                    problem = problem != null ? problem : "column " + c.source() + " (" + c.declaredType() + "): " + e.getMessage();
                }
                int k = key.indexOf(c);
                if (k >= 0) {
                    values.put(ChangeQuery.POSITION_ALIAS + k, positionText(c, text));
                }
            } else if (value instanceof TupleValue.Null) {
                values.put(c.source(), null);
            } else if (value instanceof TupleValue.UnchangedToast) {
                unsent = unsent.isEmpty() ? new HashSet<>() : unsent;
                unsent.add(c.source());
            } else {
                problem = "column " + c.source() + " came in binary form; the stream must send text";
            }
        }
        if (spec.fansOut()) {
            tenant(spec, relation, tuple, values);
        }
        return new ChangeRow(values, unsent, problem);
    }

    /**
     * The row's tenant as a page reads it ({@code CAST(column AS text)}), under the tenant alias; left out when the change
     * did not send the column (the old key of an update or delete sends only the key).
     */
    private static void tenant(TableSpec spec, Relation relation, TupleData tuple, Map<String, Object> values) {
        int i = index(relation, TableConfig.fanOutColumn(spec.fanOut()));
        TupleValue value = i < 0 || i >= tuple.size() ? TupleValue.UNCHANGED_TOAST : tuple.get(i);
        if (value instanceof TupleValue.Text text) {
            String s = new String(text.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            long type = relation.columns().get(i).typeOid();
            // the two types whose cast to text differs from the text the stream sends
            values.put(ChangeQuery.TENANT_ALIAS, type == BOOL ? (s.equals("t") ? "true" : "false")
                    : type == BPCHAR ? s.stripTrailing() : s);
        } else if (value instanceof TupleValue.Null) {
            values.put(ChangeQuery.TENANT_ALIAS, null);
        }
    }

    private static final long BOOL = 16;
    private static final long BPCHAR = 1042;

    private static Object read(ColumnSpec c, TupleValue.Text text, Map<String, Object> values, TextCasts casts) {
        if (c.kind().readFromTextInPostgres()) {
            casts.add(c, values, text.text());
            return null;
        }
        String s;
        try {
            s = text.text();
        } catch (IllegalArgumentException notUtf8) {
            // only a SQL_ASCII database sends such bytes, in free text: the type mapping refuses them, naming the byte
            return text.bytes();
        }
        return c.kind().fromText(s);
    }

    /** The key value as Postgres' cast to text writes it (a page reads positions so): char(n) without its padding. */
    private static String positionText(ColumnSpec c, TupleValue.Text text) {
        String s = new String(text.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        return c.kind() == ColumnKind.BPCHAR ? s.stripTrailing() : s;
    }

    private static int index(Relation relation, String column) {
        List<Relation.Column> columns = relation.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether every column of the spec was sent. */
    boolean whole() {
        return unsent.isEmpty();
    }

    /** The key's values as the target stores them, in key order. */
    List<Object> targetKey(TableSpec spec) {
        List<Object> out = new ArrayList<>(spec.key().size());
        for (ColumnSpec k : spec.key()) {
            out.add(k.kind().toTarget(values.get(k.source())));
        }
        return out;
    }

    /** Whether the key columns hold the same values in both rows. */
    boolean sameKey(TableSpec spec, ChangeRow other) {
        for (int i = 0; i < spec.key().size(); i++) {
            if (!java.util.Objects.equals(values.get(ChangeQuery.POSITION_ALIAS + i), other.values.get(ChangeQuery.POSITION_ALIAS + i))) {
                return false;
            }
        }
        return true;
    }
}
