package io.pgturso.target;

import io.pgturso.config.ConfigException;
import io.pgturso.source.ColumnSpec;
import io.pgturso.source.Sql;
import io.pgturso.source.TableSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps a target table in step with Postgres: creates it, adds new columns; never drops or retypes by itself. A
 * column whose type changed in Postgres so that the target would store other values stops the table's passes until
 * {@code resync --table NAME} rebuilds it ({@link #rebuild}).
 */
public class TargetSchema {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSchema.class);

    private final JdbcTemplate target;
    private final int rebuildChunkRows;

    public TargetSchema(JdbcTemplate target) {
        this(target, REBUILD_CHUNK_ROWS);
    }

    /** With another number of rows per copy statement in {@link #rebuild} (tests). */
    public TargetSchema(JdbcTemplate target, int rebuildChunkRows) {
        this(target, rebuildChunkRows, false);
    }

    private final boolean quiet;

    private TargetSchema(JdbcTemplate target, int rebuildChunkRows, boolean quiet) {
        this.target = target;
        this.rebuildChunkRows = rebuildChunkRows;
        this.quiet = quiet;
    }

    /** For one of many databases (a tenant's): what it creates or adds is logged at debug level (the caller counts it). */
    public static TargetSchema quiet(JdbcTemplate target) {
        return new TargetSchema(target, REBUILD_CHUNK_ROWS, true);
    }

    /** One column of the target table as {@code PRAGMA table_info} describes it. */
    record TargetColumn(String name, String declaredType, int pk) {
    }

    /** Creates the table if missing and adds columns that Postgres has and the target lacks; refuses retyped columns. */
    public void ensure(TableSpec spec) {
        Map<String, TargetColumn> existing = columns(spec.targetTable());
        if (existing.isEmpty()) {
            target.execute(TargetSql.createTable(spec));
            LOG.atLevel(quiet ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log("{}: created target table {} ({} columns, key {})", spec.routeId(), spec.targetTable(),
                    spec.targetColumns().size(), spec.keyLabel());
            return;
        }
        // compared as sets: ON CONFLICT accepts the key columns in any order, and some servers number them all 1
        Set<String> targetKey = targetKey(existing);
        Set<String> expectedKey = expectedKey(spec);
        if (!targetKey.equals(expectedKey)) {
            throw new ConfigException("Target table '" + spec.targetTable() + "' already exists with primary key "
                    + targetKey + " but the Postgres key is " + expectedKey
                    + ": rebuild it with resync --table " + spec.routeId()
                    + ", or drop or rename the target table, or set targetTable to another name");
        }
        List<String> retyped = retyped(spec, existing);
        if (!retyped.isEmpty()) {
            throw new TargetRebuildNeededException(spec.routeId() + ": " + String.join("; ", retyped)
                    + ": nothing written; rebuild the target table with: resync --table " + spec.routeId());
        }
        for (ColumnSpec c : spec.targetColumns()) {
            if (!existing.containsKey(c.target().toLowerCase(Locale.ROOT))) {
                target.execute(TargetSql.addColumn(spec, c));
                LOG.atLevel(quiet ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log("{}: added column {} {} to target table {}; every row is copied again to fill it", spec.routeId(),
                        c.target(), c.kind().targetType(), spec.targetTable());
            }
        }
        for (String gone : leftOver(spec, existing)) {
            LOG.warn("{}: target column {} is no longer copied (dropped, renamed or excluded in Postgres); it keeps its "
                    + "old values and new rows get NULL: drop it in the target if no reader needs it", spec.routeId(), gone);
        }
    }

    /** How the target table differs from what Postgres maps to, in words (for status and verify); empty when in step. */
    public List<String> drift(TableSpec spec) {
        Map<String, TargetColumn> existing = columns(spec.targetTable());
        List<String> out = new ArrayList<>();
        if (existing.isEmpty()) {
            return out;
        }
        if (!targetKey(existing).equals(expectedKey(spec))) {
            out.add("primary key is " + targetKey(existing) + " in the target but " + expectedKey(spec) + " in Postgres (rebuild: resync --table "
                    + spec.routeId() + ")");
        }
        out.addAll(retyped(spec, existing).stream().map(r -> r + " (rebuild: resync --table " + spec.routeId() + ")").toList());
        for (ColumnSpec c : spec.targetColumns()) {
            if (!existing.containsKey(c.target().toLowerCase(Locale.ROOT))) {
                out.add("column " + c.target() + " is new in Postgres: the next pass adds it and copies every row again");
            }
        }
        leftOver(spec, existing).forEach(gone -> out.add("target column " + gone + " is no longer copied (dropped, renamed or excluded)"));
        return out;
    }

    /** Whether a column's type or the primary key changed so that the target table must be rebuilt ({@link #rebuild}). */
    public boolean needsRebuild(TableSpec spec) {
        Map<String, TargetColumn> existing = columns(spec.targetTable());
        return !existing.isEmpty() && (!retyped(spec, existing).isEmpty() || !targetKey(existing).equals(expectedKey(spec)));
    }

    private static Set<String> targetKey(Map<String, TargetColumn> existing) {
        Set<String> key = new TreeSet<>();
        existing.values().forEach(c -> {
            if (c.pk() > 0) {
                key.add(c.name());
            }
        });
        return key;
    }

    private static Set<String> expectedKey(TableSpec spec) {
        return new TreeSet<>(spec.key().stream().map(c -> c.target().toLowerCase(Locale.ROOT)).toList());
    }

    /** Rows copied into the rebuilt table per statement: each its own short transaction (Turso Cloud's 5 s window). */
    static final int REBUILD_CHUNK_ROWS = 20_000;

    /**
     * Rebuilds the target table with the types and key Postgres maps to now, keeping its rows: a new table is created
     * beside it and filled in chunks of {@value #REBUILD_CHUNK_ROWS} rows, each its own transaction, so no write
     * transaction holds the database for long (Turso Cloud rolls back one held over 5 s while another writer waits);
     * then the two are swapped in one short transaction. Readers see the old table until the swap, never a half copy;
     * a failure before the swap leaves the old table as it was. A table without rowids is copied in one statement.
     * Returns how many copy statements it took (0: there was no table).
     */
    public long rebuild(TableSpec spec) {
        Map<String, TargetColumn> existing = columns(spec.targetTable());
        if (existing.isEmpty()) {
            return 0;
        }
        String live = Sql.quote(spec.targetTable());
        String shadowName = spec.targetTable() + "__pgturso_rebuild";
        String shadow = Sql.quote(shadowName);
        List<ColumnSpec> kept = spec.targetColumns().stream().filter(c -> existing.containsKey(c.target().toLowerCase(Locale.ROOT))).toList();
        String keptList = Sql.quotedList(kept.stream().map(ColumnSpec::target).toList());
        // OR REPLACE: under a changed key, old rows may collide; the copy that follows rewrites them all anyway
        String copy = "INSERT OR REPLACE INTO " + shadow + " (" + keptList + ") SELECT " + keptList + " FROM " + live
                + " WHERE " + String.join(" AND ", spec.key().stream()
                .map(k -> existing.containsKey(k.target().toLowerCase(Locale.ROOT)) ? Sql.quote(k.target()) + " IS NOT NULL" : "0")
                .toList());
        target.execute("DROP TABLE IF EXISTS " + shadow);
        target.execute(TargetSql.createTable(spec, shadowName));
        long chunks = copyInChunks(live, copy);
        target.execute((Connection c) -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.addBatch("DROP TABLE " + live);
                st.addBatch("ALTER TABLE " + shadow + " RENAME TO " + live);
                st.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
            return null;
        });
        LOG.atLevel(quiet ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log("{}: rebuilt target table {} with "
                + "the types Postgres maps to ({} copy statements)", spec.routeId(), spec.targetTable(), chunks);
        return chunks;
    }

    // Copies the rows in rowid order, a chunk per statement; returns how many statements it took.
    private long copyInChunks(String live, String copy) {
        try {
            target.queryForObject("SELECT max(rowid) FROM " + live, Long.class);
        } catch (org.springframework.dao.DataAccessException withoutRowids) {
            target.execute(copy);
            return 1;
        }
        long statements = 0;
        // the first chunk starts at the smallest rowid, each later one after the last rowid copied
        String after = "rowid >= ?";
        long from = Long.MIN_VALUE;
        while (true) {
            Long to = target.queryForObject("SELECT max(r) FROM (SELECT rowid AS r FROM " + live + " WHERE " + after
                    + " ORDER BY rowid LIMIT " + rebuildChunkRows + ")", Long.class, from);
            if (to == null) {
                return statements;
            }
            target.update(copy + " AND " + after + " AND rowid <= ?", from, to);
            statements++;
            from = to;
            after = "rowid > ?";
        }
    }

    private static List<String> retyped(TableSpec spec, Map<String, TargetColumn> existing) {
        List<String> out = new ArrayList<>();
        for (ColumnSpec c : spec.targetColumns()) {
            TargetColumn t = existing.get(c.target().toLowerCase(Locale.ROOT));
            if (t != null && !compatible(t.declaredType(), c.kind().targetType())) {
                out.add("column " + c.target() + " is " + t.declaredType() + " in the target but Postgres' " + c.declaredType()
                        + " maps to " + c.kind().targetType());
            }
        }
        return out;
    }

    private static List<String> leftOver(TableSpec spec, Map<String, TargetColumn> existing) {
        Set<String> copied = new TreeSet<>(spec.targetColumns().stream().map(c -> c.target().toLowerCase(Locale.ROOT)).toList());
        return existing.values().stream().map(TargetColumn::name).filter(n -> !copied.contains(n)).toList();
    }

    /** Whether a column declared {@code declared} keeps values written for {@code expected} as written (SQLite affinity). */
    static boolean compatible(String declared, String expected) {
        String affinity = affinity(declared);
        return affinity.equals("BLOB") || affinity.equals(expected);
    }

    /** SQLite's affinity of a declared column type (its five rules, in order). */
    static String affinity(String declared) {
        String t = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
        if (t.contains("INT")) {
            return "INTEGER";
        }
        if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return "TEXT";
        }
        if (t.isEmpty() || t.contains("BLOB")) {
            return "BLOB";
        }
        if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return "REAL";
        }
        return "NUMERIC";
    }

    /** The target table's columns by lower-case name, in table order; empty if the table is missing. */
    private Map<String, TargetColumn> columns(String table) {
        Map<String, TargetColumn> out = new LinkedHashMap<>();
        target.query("PRAGMA table_info(" + Sql.quote(table) + ")", rs -> {
            String name = rs.getString("name").toLowerCase(Locale.ROOT);
            out.put(name, new TargetColumn(name, rs.getString("type"), rs.getInt("pk")));
        });
        return out;
    }
}
