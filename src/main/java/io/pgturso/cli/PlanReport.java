package io.pgturso.cli;

import io.pgturso.cdc.apply.CdcAdmin;
import io.pgturso.config.ConfigException;
import io.pgturso.source.ChangeQuery;
import io.pgturso.target.Checkpoint;
import io.pgturso.target.CheckpointStore;
import io.pgturso.source.Horizon;
import io.pgturso.source.Sql;
import io.pgturso.failure.SyncFailures;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSql;
import io.pgturso.target.FullPasses;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.source.SyncMode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a run would do, per table, without writing anything: key, cursor and its index, mode, rows to read and the time
 * that takes at a sampled read rate, the target table's DDL, the horizon, and the problems the start-up check would find.
 */
public class PlanReport {
    /** Rows counted at most when the catalog has no estimate or a checkpoint limits the rows to read. */
    static final long COUNT_CAP = 1_000_000;

    private final TableRegistry tables;
    private final Horizon horizon;
    private final JdbcTemplate source;
    private final PlanTarget target;
    private CdcAdmin changeStream;
    private String tenantTemplate;

    public PlanReport(TableRegistry tables, Horizon horizon, JdbcTemplate source, PlanTarget target) {
        this.tables = tables;
        this.horizon = horizon;
        this.source = source;
        this.target = target;
    }

    /** Also checks Postgres for the tables in cdc mode and describes their slot. */
    public PlanReport withChangeStream(CdcAdmin admin) {
        this.changeStream = admin;
        return this;
    }

    /** Names the tenant databases' URL template (null: sync.target.url names no {tenant}). */
    public PlanReport withTenants(String template) {
        this.tenantTemplate = template;
        return this;
    }

    /** Prints the plan; returns the problems found (none: a run would start). */
    public List<String> print(PrintStream out) {
        List<String> problems = new ArrayList<>();
        try {
            tables.validate();
        } catch (ConfigException e) {
            problems.addAll(List.of(e.getMessage().split("\n")));
        }
        out.println("Target: " + target.describe());
        if (tenantTemplate != null) {
            out.println("Tenant databases: " + tenantTemplate + " (the tables with fanOut; the target above holds the others "
                    + "and the sync's state)");
        }
        boolean horizonApplies = false;
        List<TableSpec> localTime = new ArrayList<>();
        for (TableConfig config : tables.configs()) {
            TableSpec spec;
            try {
                spec = tables.spec(config);
            } catch (ConfigException e) {
                out.printf("%n%s: cannot be synced (see problems)%n", config.routeId());
                continue;
            }
            printTable(out, spec, problems);
            horizonApplies |= horizon.appliesTo(spec);
            if (horizon.readsLocalTime(spec)) {
                localTime.add(spec);
            }
        }
        out.println();
        if (horizonApplies) {
            out.println(horizon.canSeeAllTransactions()
                    ? "Horizon: the role sees every session's transactions (superuser or pg_read_all_stats): a pass reads rows "
                            + "older than the oldest transaction still open"
                    : "Horizon: the role cannot see other roles' transactions: rows are read only once they are "
                            + "sync.horizon.fallback-lag-ms old, and a transaction open longer than that can lose rows. "
                            + "Fix: GRANT pg_read_all_stats TO " + currentUser());
            printWriterZone(out, localTime, problems);
        } else {
            out.println("Horizon: applies to no table (off, or no timestamp cursor)");
        }
        if (changeStream != null && changeStream.streams()) {
            changeStream.plan(problems).forEach(out::println);
        }
        if (problems.isEmpty()) {
            out.println("Problems: none. Nothing was written.");
        } else {
            out.println("Problems (" + problems.size() + "):");
            problems.forEach(p -> out.println("  - " + p));
            out.println("Nothing was written.");
        }
        return problems;
    }

    /** The zone timestamp (without time zone) cursors are read in, or the problem of not knowing it. */
    private void printWriterZone(PrintStream out, List<TableSpec> localTime, List<String> problems) {
        if (localTime.isEmpty()) {
            return;
        }
        try {
            out.println("Horizon zone of timestamp (without time zone) cursors: " + horizon.writerZone(localTime));
        } catch (ConfigException e) {
            out.println("Horizon zone of timestamp (without time zone) cursors: unknown (see problems)");
            problems.add(e.getMessage());
        }
    }

    private void printTable(PrintStream out, TableSpec spec, List<String> problems) {
        String source = spec.source().qualifiedName();
        out.printf("%n%s: %s -> %s%s, %s mode, pages of %d%n", spec.routeId(), source, spec.targetTable(),
                spec.fansOut() ? " in each tenant's database" : "", spec.mode().name().toLowerCase(Locale.ROOT), spec.batchSize());
        if (spec.fansOut()) {
            out.printf("  fan-out:    %s names each row's tenant%n", spec.fanOut());
        }
        out.printf("  key:        %s%n", spec.keyLabel());
        String first = spec.positionColumns().get(0).source();
        String index = "CREATE INDEX ON " + source + " ("
                + String.join(", ", spec.positionColumns().stream().map(c -> Sql.quote(c.source())).toList()) + ")";
        boolean indexed = tables.hasPageIndex(spec);
        if (spec.cursor() != null) {
            out.printf("  cursor:     %s (%s), index: %s%n", spec.cursor().source(), spec.cursor().declaredType(),
                    indexed ? "yes" : "none, add: " + index);
        } else {
            out.printf("  pages by:   %s, index: %s%n", first, indexed ? "yes" : "none, add: " + index);
        }
        if (!indexed) {
            problems.add(spec.routeId() + ": no index of " + source + " starts with " + first
                    + ": every page reads the whole table. Add one: " + index);
        }
        Checkpoint checkpoint = target.checkpoint(spec.targetTable());
        List<String> position = checkpoint == null || spec.mode() == SyncMode.FULL ? null : checkpoint.position();
        long rows = position == null ? estimatedRows(spec) : pending(spec, position);
        String rowsText = rows < 0 ? "unknown" : (rows >= COUNT_CAP ? ">= " : "~") + String.format(Locale.ROOT, "%,d", rows);
        if (spec.mode() == SyncMode.CDC) {
            out.printf("  to read:    %s rows (%s)%n", rowsText, checkpoint == null
                    ? "the first run copies them from the slot's snapshot, then streams every change"
                    : "copied; every change is streamed (see the change stream below)");
        } else if (spec.mode() == SyncMode.FULL) {
            out.printf("  to read:    %s rows every pass, compared with the target: only rows that differ are written (%s)%n",
                    rowsText, FullPassText.last(target.lastFullPass(spec.targetTable())));
        } else {
            out.printf("  to read:    %s rows (%s)%n", rowsText, position == null
                    ? "no checkpoint: the first pass copies the whole table" : "after the checkpoint " + position);
        }
        out.printf("  read rate:  %s%n", sample(spec, position, rows));
        if (spec.fansOut()) {
            long held = target.tenantDatabases(spec.targetTable());
            out.printf("  target:     %s%s%n", held > 0 ? String.format(Locale.ROOT, "rows in %,d tenant databases; ", held) : "",
                    "a new tenant's database gets " + TargetSql.createTable(spec));
        } else {
            out.printf("  target:     %s%n", target.hasTable(spec.targetTable())
                    ? "table " + spec.targetTable() + " exists (columns Postgres added since are added by the next pass)"
                    : TargetSql.createTable(spec));
        }
    }

    /** The catalog's estimate (pg_class.reltuples), counted when the table was never analyzed. */
    private long estimatedRows(TableSpec spec) {
        Long estimate = source.queryForObject("SELECT CAST(reltuples AS bigint) FROM pg_class WHERE oid = CAST(? AS regclass)",
                Long.class, spec.source().qualifiedName());
        if (estimate != null && estimate >= 0) {
            return estimate;
        }
        Long n = source.queryForObject("SELECT count(*) FROM (SELECT 1 FROM " + spec.source().qualifiedName() + " LIMIT " + COUNT_CAP + ") s",
                Long.class);
        return n == null ? -1 : n;
    }

    private long pending(TableSpec spec, List<String> position) {
        List<Object> params = new ArrayList<>(ChangeQuery.pageParameters(spec, position, null));
        params.set(params.size() - 1, COUNT_CAP);
        Long n = source.queryForObject("SELECT count(*) FROM (" + ChangeQuery.page(spec, true, false) + ") p", Long.class,
                params.toArray());
        return n == null ? -1 : n;
    }

    /** Reads the first page a pass would read and times it. */
    private String sample(TableSpec spec, List<String> position, long rows) {
        String sql = ChangeQuery.page(spec, position != null, false);
        Object[] params = ChangeQuery.pageParameters(spec, position, null).toArray();
        long started = System.nanoTime();
        List<Object> read = new ArrayList<>();
        source.query(sql, rs -> {
            read.add(Boolean.TRUE);
        }, params);
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-6);
        if (read.isEmpty()) {
            return "no rows to read now";
        }
        double rate = read.size() / seconds;
        String text = String.format(Locale.ROOT, "a sample page of %,d rows read in %.0f ms: ~%,.0f rows/s", read.size(), seconds * 1000, rate);
        if (rows > 0) {
            text += String.format(Locale.ROOT, "; reading %s takes ~%s (writing into the target adds to it)",
                    rows >= COUNT_CAP ? String.format(Locale.ROOT, "the first %,d rows", rows) : "them", duration(rows / rate));
        }
        return text;
    }

    private static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    private String currentUser() {
        try {
            return source.queryForObject("SELECT current_user", String.class);
        } catch (RuntimeException e) {
            return "<sync user>";
        }
    }

    /** The target as plan sees it: read only, and never created. */
    public interface PlanTarget {
        /** One line: where it is and whether it exists. */
        String describe();

        /** Whether the target has this table. */
        boolean hasTable(String table);

        /** The table's checkpoint, or null when there is none. */
        Checkpoint checkpoint(String table);

        /** How many tenant databases hold rows of a table with fanOut, as the key index lists them (0: none yet). */
        default long tenantDatabases(String table) {
            return 0;
        }

        /** The last finished pass of a full-mode table, or null when none is recorded. */
        default FullPasses.Last lastFullPass(String table) {
            return null;
        }
    }

    /** A target read through {@code jdbc} (null when it does not exist yet: a file the first run creates). */
    public static PlanTarget reading(String description, JdbcTemplate jdbc) {
        return new PlanTarget() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public boolean hasTable(String table) {
                if (jdbc == null) {
                    return false;
                }
                Long n = jdbc.queryForObject("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND lower(name) = lower(?)",
                        Long.class, table);
                return n != null && n > 0;
            }

            @Override
            public long tenantDatabases(String table) {
                return hasTable(TenantKeys.TABLE) ? new TenantKeys(jdbc).databases(table) : 0;
            }

            @Override
            public FullPasses.Last lastFullPass(String table) {
                return jdbc == null ? null : new FullPasses(jdbc).last(table);
            }

            @Override
            public Checkpoint checkpoint(String table) {
                if (!hasTable("pgturso_checkpoints")) {
                    return null;
                }
                try {
                    Checkpoint cp = new CheckpointStore(jdbc).load(table);
                    return cp.position() == null ? null : cp;
                } catch (RuntimeException e) {
                    throw new ConfigException("Cannot read the checkpoint of " + table + " in the target: " + SyncFailures.describe(e), e);
                }
            }
        };
    }
}
