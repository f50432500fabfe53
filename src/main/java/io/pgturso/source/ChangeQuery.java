package io.pgturso.source;

import io.pgturso.types.ColumnKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the Postgres queries that read a table page by page (keyset pagination) and one row by key. */
public final class ChangeQuery {
    /** Prefix of the extra columns that carry a row's position (cursor and key) as Postgres text. */
    public static final String POSITION_ALIAS = "_pgturso_p";
    /** Alias of the column that says whether a row matches the table's {@code where} filter (rows that do not are deleted from the target). */
    public static final String MATCH_ALIAS = "_pgturso_match";
    /** Alias of the column that holds a row's tenant (the table's fanOut, as Postgres text): the database the row goes to. */
    public static final String TENANT_ALIAS = "_pgturso_tenant";
    /** Alias of the source table: qualified names make ORDER BY use the column, not the select list's text of it; where and expressions may use it. */
    public static final String TABLE_ALIAS = "src";

    private ChangeQuery() {
    }

    /**
     * The next page after {@code position} (or the first page when there is none), below the {@code horizon} when
     * given, at most {@code LIMIT ?} rows. Parameters: {@link #pageParameters}.
     */
    public static String page(TableSpec spec, boolean afterPosition, boolean belowHorizon) {
        return page(spec, afterPosition, belowHorizon, false);
    }

    /**
     * As above; with {@code onlyMatching} the table's {@code where} filter selects the rows (when the target cannot hold a
     * row that stopped matching: a first pass, append-only tables), else every changed row is read and flagged.
     */
    public static String page(TableSpec spec, boolean afterPosition, boolean belowHorizon, boolean onlyMatching) {
        return page(spec, afterPosition, belowHorizon, onlyMatching, false);
    }

    /**
     * As above; with {@code orChangedAfter} the filter also selects the rows whose cursor is above a value (the first
     * parameter), flagged: a row changed while a first pass runs is read whether it still matches or not.
     */
    public static String page(TableSpec spec, boolean afterPosition, boolean belowHorizon, boolean onlyMatching,
            boolean orChangedAfter) {
        List<ColumnSpec> position = spec.positionColumns();
        List<String> conditions = new ArrayList<>();
        if (onlyMatching && orChangedAfter && spec.rules().changes().filters()) {
            conditions.add("((" + spec.rules().changes().where() + ") OR " + column(spec.cursor()) + " > CAST(? AS "
                    + spec.cursor().declaredType() + "))");
            onlyMatching = false;
        } else {
            filter(spec, onlyMatching, conditions);
        }
        // full mode: by key in the target's order, so a page's key range is the same range in the target (FullPassDiff)
        boolean full = spec.mode().readsWholeTable();
        String order = full ? keyOrder(position, null) : quotedSources(position);
        if (afterPosition) {
            conditions.add("(" + order + ") > (" + (full ? keyOrder(position, "?") : casts(position)) + ")");
        }
        if (belowHorizon) {
            conditions.add(column(spec.cursor()) + " < CAST(? AS " + spec.cursor().declaredType() + ")");
        }
        return select(spec, !onlyMatching) + where(conditions) + " ORDER BY " + order + " LIMIT ?";
    }

    private static void filter(TableSpec spec, boolean onlyMatching, List<String> conditions) {
        if (onlyMatching && spec.rules().changes().filters()) {
            conditions.add("(" + spec.rules().changes().where() + ")");
        }
    }

    /** The parameters of {@link #page}: the position values (Postgres text), the horizon, then the page size. */
    public static List<Object> pageParameters(TableSpec spec, List<String> position, String horizon) {
        List<Object> params = new ArrayList<>();
        if (position != null) {
            params.addAll(position);
        }
        if (horizon != null) {
            params.add(horizon);
        }
        params.add(spec.batchSize());
        return params;
    }

    /** The next page of rows whose cursor is NULL, by key after {@code keyPosition} (such rows never match a keyset on the cursor). */
    public static String nullCursorPage(TableSpec spec, boolean afterKey) {
        return nullCursorPage(spec, afterKey, false);
    }

    /** As above, with the filter as in {@link #page(TableSpec, boolean, boolean, boolean)}. */
    public static String nullCursorPage(TableSpec spec, boolean afterKey, boolean onlyMatching) {
        List<String> conditions = new ArrayList<>();
        conditions.add(column(spec.cursor()) + " IS NULL");
        if (afterKey) {
            conditions.add("(" + quotedSources(spec.key()) + ") > (" + casts(spec.key()) + ")");
        }
        filter(spec, onlyMatching, conditions);
        return select(spec, !onlyMatching) + where(conditions) + " ORDER BY " + quotedSources(spec.key()) + " LIMIT ?";
    }

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** One row by its key, given as Postgres text values in key order. */
    public static String byKey(TableSpec spec) {
        return select(spec, true) + " WHERE (" + quotedSources(spec.key()) + ") = (" + casts(spec.key()) + ")";
    }

    private static String select(TableSpec spec, boolean flagMatch) {
        String columns = spec.columns().stream()
                .map(c -> selected(spec, c, column(c)) + " AS " + Sql.quote(c.source()))
                .collect(Collectors.joining(", "));
        RowChanges changes = spec.rules().changes();
        for (ColumnSpec c : spec.rules().computed()) {
            columns += ", " + selected(spec, c, "(" + changes.expressions().get(c.source()) + ")") + " AS " + Sql.quote(c.source());
        }
        if (flagMatch && changes.filters()) {
            columns += ", " + changes.matches() + " AS " + Sql.quote(MATCH_ALIAS);
        }
        if (spec.fansOut()) {
            columns += ", " + tenant(spec) + " AS " + Sql.quote(TENANT_ALIAS);
        }
        List<ColumnSpec> position = spec.positionColumns();
        StringBuilder positions = new StringBuilder();
        for (int i = 0; i < position.size(); i++) {
            if (!selectedAsPositionText(position.get(i))) {
                positions.append(", CAST(").append(column(position.get(i))).append(" AS text) AS ")
                        .append(Sql.quote(POSITION_ALIAS + i));
            }
        }
        return "SELECT " + columns + positions + " FROM " + spec.source().qualifiedName() + " AS " + TABLE_ALIAS;
    }

    /** The row's tenant as Postgres text: the table's fanOut column or expression, evaluated on the source row. */
    public static String tenant(TableSpec spec) {
        return "CAST((" + spec.fanOut() + ") AS text)";
    }

    /**
     * A column as the page reads it. Free text of a database that may hold bytes other than UTF-8 comes as those bytes,
     * checked row by row (Postgres would fail the whole page on one bad value); cursor and key stay text, as positions.
     */
    private static String selected(TableSpec spec, ColumnSpec c, String expression) {
        String selected = c.kind().selectExpression(expression);
        return spec.source().textMayBeInvalid() && c.kind().isFreeText() && !spec.positionColumns().contains(c)
                ? "convert_to(" + selected + ", 'SQL_ASCII')" : selected;
    }

    /**
     * The value of the {@code i}th position column (cursor and key) of a page row, as Postgres text: read from the column
     * itself when the page selects it as that text already (integers, and columns cast to text), else from its alias.
     */
    public static String positionValue(TableSpec spec, Map<String, Object> row, int i) {
        return positionValue(spec.positionColumns(), row, i);
    }

    /** As {@link #positionValue(TableSpec, Map, int)}, with the spec's position columns at hand (once per page, not per row). */
    public static String positionValue(List<ColumnSpec> position, Map<String, Object> row, int i) {
        ColumnSpec c = position.get(i);
        Object v = SELECTED_AS_TEXT.computeIfAbsent(c, ChangeQuery::selectedAsPositionText) ? row.get(c.source())
                : row.get(POSITION_ALIAS + i);
        return v == null ? null : v.toString();
    }

    /** {@link #selectedAsPositionText} by column, asked for every row's key. */
    private static final Map<ColumnSpec, Boolean> SELECTED_AS_TEXT = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether the page's own select of the column already gives its Postgres text (so no second copy is read). */
    private static boolean selectedAsPositionText(ColumnSpec c) {
        String q = column(c);
        String selected = c.kind().selectExpression(q);
        return selected.equals("CAST(" + q + " AS text)") || c.kind() == ColumnKind.INTEGER && selected.equals(q);
    }

    private static String quotedSources(List<ColumnSpec> columns) {
        return columns.stream().map(ChangeQuery::column).collect(Collectors.joining(", "));
    }

    private static String column(ColumnSpec c) {
        return TABLE_ALIAS + "." + Sql.quote(c.source());
    }

    /** The columns ({@code parameter} null) or parameters cast to their types, each in {@link KeyOrder}. */
    private static String keyOrder(List<ColumnSpec> columns, String parameter) {
        return columns.stream().map(c -> KeyOrder.of(c, parameter == null ? column(c) : "CAST(? AS " + c.declaredType() + ")"))
                .collect(Collectors.joining(", "));
    }

    private static String casts(List<ColumnSpec> columns) {
        return columns.stream().map(c -> "CAST(? AS " + c.declaredType() + ")").collect(Collectors.joining(", "));
    }
}
