package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Stmt;
import io.pgturso.libsql.hrana.Value;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a batch into requests (one transaction each) under the row and byte limits, turning runs of the same
 * single-row INSERT into multi-row statements when allowed.
 */
final class BatchPlanner {

    private final int maxRowsPerRequest;
    private final long maxRequestBytes;
    private final int maxRowsPerStatement;
    private final boolean rewrite;
    private final boolean inline;
    private final boolean countChanges;
    private final PlannedRequest.Guard guard;

    BatchPlanner(int maxRowsPerRequest, long maxRequestBytes, int maxRowsPerStatement, boolean rewrite,
                 boolean inline, boolean countChanges, PlannedRequest.Guard guard) {
        this.inline = inline;
        this.guard = guard;
        this.maxRowsPerRequest = maxRowsPerRequest;
        this.maxRequestBytes = maxRequestBytes;
        this.maxRowsPerStatement = maxRowsPerStatement;
        this.rewrite = rewrite;
        this.countChanges = countChanges;
    }

    /** A planner that puts everything in one request (a transaction must stay whole). */
    BatchPlanner unsplit() {
        return new BatchPlanner(Integer.MAX_VALUE, Long.MAX_VALUE, maxRowsPerStatement, rewrite, inline, countChanges, guard);
    }

    /** A planner with smaller requests: at most {@code rows} rows and {@code bytes} bytes each. */
    BatchPlanner limitedTo(int rows, long bytes) {
        return new BatchPlanner(Math.min(rows, maxRowsPerRequest), Math.min(bytes, maxRequestBytes),
                maxRowsPerStatement, rewrite, inline, countChanges, guard);
    }

    int maxRowsPerRequest() {
        return maxRowsPerRequest;
    }

    long maxRequestBytes() {
        return maxRequestBytes;
    }

    /** A planner that sends one step per statement: to find which rows of a failed request fail. */
    BatchPlanner rowByRow() {
        return new BatchPlanner(Integer.MAX_VALUE, Long.MAX_VALUE, 1, false, false, countChanges, guard);
    }

    List<PlannedRequest> plan(List<BoundStatement> entries, PlannedRequest.Ending ending) throws SQLException {
        return plan(entries, 0, entries.size(), ending);
    }

    /** Plans entries {@code from} (inclusive) to {@code to} (exclusive); entry numbers stay those of the batch. */
    List<PlannedRequest> plan(List<BoundStatement> entries, int from, int to, PlannedRequest.Ending ending)
            throws SQLException {
        return plan(entries, from, to, ending, Integer.MAX_VALUE);
    }

    /** The first request of entries {@code from} to {@code to}: the rest is planned when it is its turn. */
    PlannedRequest planFirst(List<BoundStatement> entries, int from, int to, PlannedRequest.Ending ending)
            throws SQLException {
        return plan(entries, from, to, ending, 1).get(0);
    }

    private List<PlannedRequest> plan(List<BoundStatement> entries, int from, int to, PlannedRequest.Ending ending,
                                      int most) throws SQLException {
        List<PlannedRequest> requests = new ArrayList<>();
        List<PlannedRequest.Unit> units = new ArrayList<>();
        int rows = 0;
        RequestBytes bytes = new RequestBytes(maxRequestBytes, entries, from);
        int firstEntry = from;
        int i = from;
        while (i < to) {
            BoundStatement entry = entries.get(i);
            MultiRowInsert insert = rewrite ? entry.parsed().multiRowInsert() : null;
            // the whole SQL text of a statement's first row (later rows of a multi-row statement add only their
            // tuple): an upper bound is what splitting needs
            long entryBytes = stepBytes() + entry.parsed().jsonBytes();
            boolean full = !units.isEmpty() && (rows + 1 > maxRowsPerRequest || !bytes.fits(i, entryBytes));
            if (full) {
                requests.add(new PlannedRequest(firstEntry, units, ending, guard));
                if (requests.size() == most) {
                    return requests;
                }
                units = new ArrayList<>();
                rows = 0;
                bytes = new RequestBytes(maxRequestBytes, entries, i);
                firstEntry = i;
            }
            if (units.isEmpty()) {
                bytes.fits(i, entryBytes); // the first statement of a request is taken whatever its size
            }
            bytes.take(entryBytes);
            int take = 1;
            if (insert != null && entry.args().size() == insert.parametersPerRow()) {
                int cap = Math.min(Math.min(insert.maxRows(), maxRowsPerStatement), maxRowsPerRequest - rows);
                while (take < cap && i + take < to) {
                    BoundStatement next = entries.get(i + take);
                    if (next.parsed() != entry.parsed() || !bytes.fits(i + take, insert.rowJsonBytes())) {
                        break;
                    }
                    bytes.take(insert.rowJsonBytes());
                    take++;
                }
            }
            units.add(unit(entries, i, take, insert));
            rows += take;
            i += take;
        }
        if (!units.isEmpty()) {
            requests.add(new PlannedRequest(firstEntry, units, ending, guard));
        }
        return requests;
    }

    private int stepBytes() {
        return RequestSize.PER_STEP + (countChanges ? RequestSize.CHANGES_STEP : 0);
    }

    private PlannedRequest.Unit unit(List<BoundStatement> entries, int first, int count, MultiRowInsert insert)
            throws SQLException {
        if (count == 1) {
            BoundStatement entry = entries.get(first);
            return new PlannedRequest.Unit(entry.parsed().stmt(entry.args(), false), count, false,
                    countChanges && entry.parsed().kind() == ParsedSql.Kind.WRITE);
        }
        if (!inline) {
            List<Value> args = new ArrayList<>(count * insert.parametersPerRow());
            for (int k = first; k < first + count; k++) {
                args.addAll(entries.get(k).args());
            }
            // a ±Infinity, which JSON cannot carry, is sent as a literal like the inlined values below
            if (args.stream().noneMatch(SqlLiteral::isInfinite)) {
                return new PlannedRequest.Unit(new Stmt(insert.sql(count), args, false), count, true, countChanges);
            }
        }
        return new PlannedRequest.Unit(insert.inlined(entries, first, count), count, true, countChanges);
    }
}
