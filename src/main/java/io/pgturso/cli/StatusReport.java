package io.pgturso.cli;

import io.pgturso.target.DeadLetterStore;
import io.pgturso.types.ColumnKind;
import io.pgturso.source.Sql;
import io.pgturso.source.SyncMode;
import io.pgturso.target.Checkpoint;
import io.pgturso.target.CheckpointStore;
import io.pgturso.source.PendingRows;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import io.pgturso.failure.SyncFailures;
import io.pgturso.target.TargetSchema;
import io.pgturso.target.FullPasses;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Prints each table's checkpoint, the rows still to copy and the open dead letters. */
public class StatusReport {
    /** Pending rows are counted up to this many, so status stays quick on big tables. */
    static final long PENDING_CAP = PendingRows.CAP;

    private final TableRegistry tables;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final JdbcTemplate source;
    private final PendingRows pendingRows;
    private TargetSchema schema;
    private FullPasses fullPasses;

    public StatusReport(TableRegistry tables, CheckpointStore checkpoints, DeadLetterStore deadLetters, DataSource source) {
        this.tables = tables;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.source = new JdbcTemplate(source);
        this.pendingRows = new PendingRows(source);
    }

    /** Also reports the last pass of each full-mode table. */
    public StatusReport withFullPasses(FullPasses passes) {
        this.fullPasses = passes;
        return this;
    }

    /** Also reports how each target table differs from what Postgres maps to. */
    public StatusReport withSchema(TargetSchema schema) {
        this.schema = schema;
        return this;
    }

    /**
     * Prints one line per table, columns as wide as their longest value, then indented notes: a checkpoint made for
     * other settings, schema changes. A table that cannot be reported (e.g. dropped in Postgres) gets one line saying why.
     */
    public void print(PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        Map<Integer, List<String>> notesByTable = new HashMap<>();
        rows.add(new String[] {"TABLE", "MODE", "TARGET", "PENDING", "LAG", "WRITTEN", "DEAD", "LAST PAGE AT", "CHECKPOINT"});
        for (TableConfig config : tables.configs()) {
            List<String> notes = new ArrayList<>();
            try {
                TableSpec spec = tables.spec(config);
                Checkpoint cp = checkpoints.load(spec.targetTable());
                List<String> position = cp.position();
                if (!cp.fits(spec)) {
                    notes.add("the checkpoint was made for [" + cp.madeFor() + "]: the next pass starts over and copies every row again");
                    position = null;
                }
                if (schema != null) {
                    notes.addAll(schema.drift(spec));
                }
                if (spec.mode() == SyncMode.FULL) {
                    rows.add(fullModeRow(config.routeId(), spec, cp, position));
                    if (!notes.isEmpty()) {
                        notesByTable.put(rows.size() - 1, notes.stream().map(n -> "  " + config.routeId() + ": " + n).toList());
                    }
                    continue;
                }
                if (spec.mode() == SyncMode.CDC) {
                    // a streamed table has no cursor: what it lacks is the WAL after the slot's position (printed below)
                    rows.add(new String[] {config.routeId(), "cdc", spec.targetTable(), "-", "-", Long.toString(cp.rowsWritten()),
                            Long.toString(deadLetters.count(spec.targetTable())), cp.updatedAt() == null ? "never" : cp.updatedAt(),
                            "streamed: see the change stream below"});
                    continue;
                }
                long pending = pending(spec, position);
                rows.add(new String[] {config.routeId(), spec.mode().name().toLowerCase(), spec.targetTable(),
                        pending >= PENDING_CAP ? ">=" + PENDING_CAP : Long.toString(pending), lag(spec, position, pending),
                        Long.toString(cp.rowsWritten()), Long.toString(deadLetters.count(spec.targetTable())),
                        cp.updatedAt() == null ? "never" : cp.updatedAt(), position == null ? "(start)" : position.toString()});
            } catch (RuntimeException e) {
                rows.add(new String[] {config.routeId(), "cannot report: " + SyncFailures.describe(e)});
            }
            if (!notes.isEmpty()) {
                notesByTable.put(rows.size() - 1, notes.stream().map(n -> "  " + config.routeId() + ": " + n).toList());
            }
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            if (row.length == widths.length) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean number = i == 3 || i == 5 || i == 6;
                String cell = i == row.length - 1 ? row[i]
                        : String.format("%" + (number ? "" : "-") + widths[i] + "s", row[i]);
                line.append(cell).append(i == row.length - 1 ? "" : "  ");
            }
            out.println(line.toString().stripTrailing());
            notesByTable.getOrDefault(r, List.of()).forEach(out::println);
        }
    }

    /**
     * A full-mode table: nothing is pending between passes (each compares the whole table); the lag is the time since the
     * last finished pass, which the last column describes.
     */
    private String[] fullModeRow(String routeId, TableSpec spec, Checkpoint cp, List<String> position) {
        FullPasses.Last last = fullPasses == null ? null : fullPasses.last(spec.targetTable());
        String lag = last == null ? "-" : Duration.ofSeconds(Duration.between(last.finishedAt(), Instant.now()).toSeconds()).toString();
        String pass = last == null ? "no full pass yet" : "full pass at " + last.finishedAt() + ": " + last.rowsDiffered()
                + " rows differed, " + last.rowsRead() + " read";
        if (position != null) {
            pass += "; a pass stopped after " + position + " (the next one starts over)";
        }
        return new String[] {routeId, spec.mode().name().toLowerCase(), spec.targetTable(), "-", lag,
                Long.toString(cp.rowsWritten()), Long.toString(deadLetters.count(spec.targetTable())),
                cp.updatedAt() == null ? "never" : cp.updatedAt(), pass};
    }

    /** With a database per tenant: the number of tenant databases, per table with fan-out how many hold rows, the slowest. */
    public static void printTenants(TableRegistry tables, io.pgturso.tenant.TenantDatabases tenants,
            io.pgturso.tenant.TenantKeys keys, PrintStream out) {
        TenantStatus.print(tables, tenants, keys, out);
    }

    /** How far the copy is behind in time: newest cursor in Postgres minus the checkpoint's (ISO-8601 duration), for timestamp cursors. */
    String lag(TableSpec spec, List<String> position, long pending) {
        boolean timeCursor = spec.mode() == SyncMode.TIMESTAMP && spec.cursor() != null
                && (spec.cursor().kind() == ColumnKind.TIMESTAMPTZ || spec.cursor().kind() == ColumnKind.TIMESTAMP);
        if (!timeCursor) {
            return "-";
        }
        if (pending == 0) {
            return "PT0S";
        }
        String cursor = Sql.quote(spec.cursor().source());
        String from = position == null ? "min(" + cursor + ")" : "CAST(? AS " + spec.cursor().declaredType() + ")";
        String sql = "SELECT CAST(max(" + cursor + ") - " + from + " AS text) FROM " + spec.source().qualifiedName();
        String lag = position == null ? source.queryForObject(sql, String.class)
                : source.queryForObject(sql, String.class, position.get(0));
        return lag == null ? "-" : lag;
    }

    /** Rows after the checkpoint, counted up to {@link #PENDING_CAP}. */
    long pending(TableSpec spec, List<String> position) {
        return pendingRows.count(spec, position);
    }
}
