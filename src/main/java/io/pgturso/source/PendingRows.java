package io.pgturso.source;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Counts the rows after a checkpoint, up to {@link #CAP}, so the count stays quick on big tables. */
public class PendingRows {
    /** Rows are counted up to this many. */
    public static final long CAP = 1_000_000;

    private final JdbcTemplate source;

    public PendingRows(DataSource source) {
        this.source = new JdbcTemplate(source);
    }

    /** Rows after {@code position} (all rows for null), counted up to {@link #CAP}. */
    public long count(TableSpec spec, List<String> position) {
        String page = ChangeQuery.page(spec, position != null, false);
        List<Object> params = new ArrayList<>(ChangeQuery.pageParameters(spec, position, null));
        params.set(params.size() - 1, CAP);
        Long n = source.queryForObject("SELECT count(*) FROM (" + page + ") pending", Long.class, params.toArray());
        return n == null ? 0 : n;
    }

    /** The table's highest cursor value now, as Postgres text (null when no row has one). */
    public String highestCursor(TableSpec spec) {
        String cursor = Sql.quote(spec.cursor().source());
        return source.queryForObject("SELECT CAST(max(" + cursor + ") AS text) FROM " + spec.source().qualifiedName(), String.class);
    }
}
