package io.pgturso.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the Postgres queries that read a table page by page (keyset pagination) and one row by key. */
public final class ChangeQuery {
    /** Prefix of the extra columns that carry a row's position (cursor and key) as Postgres text. */
    public static final String POSITION_ALIAS = "_pgturso_p";

    private ChangeQuery() {
    }

    /** The next page after {@code position} (or the first page when there is none), at most {@code LIMIT ?} rows. */
    public static String page(TableSpec spec, boolean afterPosition) {
        List<ColumnSpec> position = spec.positionColumns();
        StringBuilder sql = new StringBuilder(select(spec));
        if (afterPosition) {
            sql.append(" WHERE (").append(quotedSources(position)).append(") > (").append(casts(position)).append(')');
        }
        sql.append(" ORDER BY ").append(quotedSources(position)).append(" LIMIT ?");
        return sql.toString();
    }

    /** The parameters of {@link #page}: the position values (Postgres text) then the page size. */
    public static List<Object> pageParameters(TableSpec spec, List<String> position) {
        List<Object> params = new ArrayList<>();
        if (position != null) {
            params.addAll(position);
        }
        params.add(spec.batchSize());
        return params;
    }

    /** One row by its key, given as Postgres text values in key order. */
    public static String byKey(TableSpec spec) {
        return select(spec) + " WHERE (" + quotedSources(spec.key()) + ") = (" + casts(spec.key()) + ")";
    }

    private static String select(TableSpec spec) {
        String columns = spec.columns().stream()
                .map(c -> c.kind().selectExpression(Sql.quote(c.source())) + " AS " + Sql.quote(c.source()))
                .collect(Collectors.joining(", "));
        List<ColumnSpec> position = spec.positionColumns();
        StringBuilder positions = new StringBuilder();
        for (int i = 0; i < position.size(); i++) {
            positions.append(", CAST(").append(Sql.quote(position.get(i).source())).append(" AS text) AS ")
                    .append(Sql.quote(POSITION_ALIAS + i));
        }
        return "SELECT " + columns + positions + " FROM " + spec.source().qualifiedName();
    }

    private static String quotedSources(List<ColumnSpec> columns) {
        return columns.stream().map(c -> Sql.quote(c.source())).collect(Collectors.joining(", "));
    }

    private static String casts(List<ColumnSpec> columns) {
        return columns.stream().map(c -> "CAST(? AS " + c.declaredType() + ")").collect(Collectors.joining(", "));
    }
}
