package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.BatchCondition;
import io.pgturso.libsql.hrana.BatchResult;
import io.pgturso.libsql.hrana.BatchStep;
import io.pgturso.libsql.hrana.HranaError;
import io.pgturso.libsql.hrana.PipelineRequest;
import io.pgturso.libsql.hrana.StatementResult;
import io.pgturso.libsql.hrana.Stmt;
import io.pgturso.libsql.hrana.StreamRequest;
import io.pgturso.libsql.hrana.Value;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP request of a batch, a transaction on its own: {@code BEGIN}, every statement (each runs even after another
 * failed, so one round trip reports all failures), {@code COMMIT} only if all succeeded, else {@code ROLLBACK}.
 * No transaction stays open after the request, whatever happens.
 */
final class PlannedRequest {

    /** How the transaction ends. */
    enum Ending {
        /** COMMIT when every statement succeeded, ROLLBACK otherwise. */
        COMMIT_IF_ALL_OK,
        /** Always ROLLBACK: a dry run that only finds the failing statements. */
        ROLLBACK
    }

    /**
     * How each statement is kept from running once SQLite ended the transaction by itself (a statement with
     * {@code ON CONFLICT ROLLBACK}, some I/O and busy errors): it would otherwise run, and commit, in autocommit.
     */
    enum Guard {
        /** Hrana 3: every statement requires {@code not is_autocommit}, so all of them run while the transaction lives. */
        IS_AUTOCOMMIT,
        /** Hrana 2: every statement requires the previous one to have succeeded, so the first failure stops the rest. */
        OK_CHAIN
    }

    /** One statement step standing for {@code entries} consecutive batch entries (more than one when rewritten). */
    record Unit(Stmt stmt, int entries, boolean multiRow, boolean countChanges) {
    }

    /** One failed batch entry. */
    record Failure(int entry, HranaError error) {
    }

    /** One failed multi-row statement: which of its rows failed is not known yet. */
    record ChunkFailure(int unit, HranaError error) {
    }

    /** What the server did with the request; counts are per entry of this request. */
    record Outcome(boolean committed, int[] counts, List<Failure> failures, List<ChunkFailure> failedChunks,
                   HranaError beginError, HranaError commitError, HranaError rollbackError,
                   boolean countsReported) {
    }

    private static final Stmt CHANGES = Stmt.of("SELECT changes()");

    private final int firstEntry;
    private final List<Unit> units;
    private final Ending ending;
    private final int[] unitSteps;
    private final int[] changeSteps;
    private final List<BatchStep> steps = new ArrayList<>();
    private final int commitStep;
    private final int rollbackStep;

    PlannedRequest(int firstEntry, List<Unit> units, Ending ending, Guard guard) {
        this.firstEntry = firstEntry;
        this.units = List.copyOf(units);
        this.ending = ending;
        this.unitSteps = new int[units.size()];
        this.changeSteps = new int[units.size()];
        BatchCondition begun = BatchCondition.ok(0);
        BatchCondition open = BatchCondition.not(BatchCondition.isAutocommit());
        steps.add(BatchStep.always(Stmt.of("BEGIN")));
        List<BatchCondition> allOk = new ArrayList<>(units.size());
        int previous = 0;
        for (int u = 0; u < units.size(); u++) {
            unitSteps[u] = steps.size();
            BatchCondition runs = guard == Guard.IS_AUTOCOMMIT ? BatchCondition.and(List.of(begun, open))
                    : BatchCondition.ok(previous);
            steps.add(BatchStep.when(runs, units.get(u).stmt()));
            previous = unitSteps[u];
            allOk.add(BatchCondition.ok(unitSteps[u]));
            changeSteps[u] = -1;
            if (units.get(u).countChanges()) {
                changeSteps[u] = steps.size();
                steps.add(BatchStep.when(BatchCondition.ok(unitSteps[u]), CHANGES));
            }
        }
        if (ending == Ending.COMMIT_IF_ALL_OK) {
            allOk.add(0, begun);
            commitStep = steps.size();
            steps.add(BatchStep.when(BatchCondition.and(allOk), Stmt.of("COMMIT")));
            // Only our own BEGIN is rolled back: a failed BEGIN means the transaction is not ours.
            rollbackStep = steps.size();
            List<BatchCondition> rollback = new ArrayList<>(List.of(begun,
                    BatchCondition.not(BatchCondition.ok(commitStep))));
            if (guard == Guard.IS_AUTOCOMMIT) {
                rollback.add(open);
            }
            steps.add(BatchStep.when(BatchCondition.and(rollback), Stmt.of("ROLLBACK")));
        } else {
            commitStep = -1;
            rollbackStep = steps.size();
            steps.add(BatchStep.when(guard == Guard.IS_AUTOCOMMIT ? BatchCondition.and(List.of(begun, open)) : begun,
                    Stmt.of("ROLLBACK")));
        }
    }

    int firstEntry() {
        return firstEntry;
    }

    int entryCount() {
        return units.stream().mapToInt(Unit::entries).sum();
    }

    PipelineRequest request() {
        return PipelineRequest.of(StreamRequest.batch(steps));
    }

    /** Entry indexes (within the batch) of the rows carried by a unit. */
    int[] entriesOf(int unit) {
        int first = firstEntry;
        for (int u = 0; u < unit; u++) {
            first += units.get(u).entries();
        }
        int[] entries = new int[units.get(unit).entries()];
        for (int k = 0; k < entries.length; k++) {
            entries[k] = first + k;
        }
        return entries;
    }

    Outcome outcome(BatchResult result) {
        int[] counts = new int[entryCount()];
        List<Failure> failures = new ArrayList<>();
        List<ChunkFailure> failedChunks = new ArrayList<>();
        boolean countsReported = false;
        int offset = 0;
        for (int u = 0; u < units.size(); u++) {
            Unit unit = units.get(u);
            StatementResult stepResult = result.result(unitSteps[u]);
            HranaError error = result.error(unitSteps[u]);
            if (stepResult != null) {
                countsReported |= stepResult.affectedRowCount() > 0;
                long changes = changes(result, u, stepResult);
                for (int k = 0; k < unit.entries(); k++) {
                    counts[offset + k] = !unit.multiRow() ? (int) Math.min(changes, Integer.MAX_VALUE)
                            : changes == unit.entries() ? 1 : Statement.SUCCESS_NO_INFO;
                }
            } else {
                for (int k = 0; k < unit.entries(); k++) {
                    counts[offset + k] = Statement.EXECUTE_FAILED;
                    if (error != null && !unit.multiRow()) {
                        failures.add(new Failure(firstEntry + offset + k, error));
                    }
                }
                if (error != null && unit.multiRow()) {
                    failedChunks.add(new ChunkFailure(u, error));
                }
            }
            offset += unit.entries();
        }
        boolean committed = commitStep >= 0 && result.succeeded(commitStep);
        HranaError rollbackError = result.error(rollbackStep);
        if (rollbackError != null && rollbackError.message() != null
                && rollbackError.message().contains("no transaction is active")) {
            rollbackError = null; // SQLite had already rolled the transaction back (v2 cannot ask before)
        }
        return new Outcome(committed, counts, failures, failedChunks, result.error(0),
                commitStep < 0 ? null : result.error(commitStep), rollbackError, countsReported);
    }

    // The count from the SELECT changes() step when there is one, else what the server reported.
    private long changes(BatchResult result, int unit, StatementResult stepResult) {
        if (changeSteps[unit] >= 0) {
            StatementResult changes = result.result(changeSteps[unit]);
            if (changes != null && !changes.rows().isEmpty()
                    && changes.rows().get(0).get(0) instanceof Value.IntegerValue count) {
                return Math.max(count.value(), stepResult.affectedRowCount());
            }
        }
        return stepResult.affectedRowCount();
    }
}
