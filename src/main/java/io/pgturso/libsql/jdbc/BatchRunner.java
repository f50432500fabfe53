package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.BatchResult;
import io.pgturso.libsql.hrana.HranaError;
import io.pgturso.libsql.hrana.HranaException;
import io.pgturso.libsql.hrana.PipelineResponse;
import io.pgturso.libsql.hrana.StreamResponse;
import io.pgturso.libsql.hrana.StreamResult;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Runs a batch request by request, each its own transaction, and stops at the first request that fails. A failure
 * becomes a {@link BatchUpdateException} whose update counts mark every failed statement of that request with
 * {@link Statement#EXECUTE_FAILED}; when a multi-row statement failed, a dry run (always rolled back) finds its rows.
 */
final class BatchRunner {

    private final LibsqlConnection connection;
    private final Duration timeout;

    BatchRunner(LibsqlConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /** Runs the entries; {@code planner} decides rewriting and splitting. Returns one update count per entry. */
    int[] run(List<BoundStatement> entries, BatchPlanner planner) throws SQLException {
        int[] counts = new int[entries.size()];
        int committed = 0;
        for (PlannedRequest request : planner.plan(entries, PlannedRequest.Ending.COMMIT_IF_ALL_OK)) {
            BatchResult result;
            try {
                result = send(request, false);
            } catch (SQLException e) {
                if (committed == 0) {
                    throw e;
                }
                throw new BatchUpdateException(e.getMessage() + "; statements #0..#" + (committed - 1)
                        + " were committed by earlier requests, the rest was not applied or may not have been",
                        e.getSQLState(), e.getErrorCode(), Arrays.copyOf(counts, committed), e);
            }
            PlannedRequest.Outcome outcome = request.outcome(result);
            if (outcome.countsReported()) {
                connection.serverReportsCounts();
            }
            if (outcome.beginError() != null && committed == 0) {
                throw SqlErrors.of(outcome.beginError(), "BEGIN of the batch");
            }
            System.arraycopy(outcome.counts(), 0, counts, request.firstEntry(), outcome.counts().length);
            if (!outcome.committed()) {
                throw failure(entries, request, outcome, Arrays.copyOf(counts, request.firstEntry()
                        + request.entryCount()), committed);
            }
            committed += request.entryCount();
        }
        return counts;
    }

    private BatchResult send(PlannedRequest request, boolean repeatable) throws SQLException {
        PipelineResponse response;
        try {
            response = connection.client().send(request.request(), repeatable, timeout);
        } catch (HranaException e) {
            throw SqlErrors.of(e);
        }
        StreamResult only = response.results().isEmpty() ? null : response.results().get(0);
        if (only instanceof StreamResult.Ok ok && ok.response() instanceof StreamResponse.Batch batch) {
            return batch.result();
        }
        if (only instanceof StreamResult.Failed failed) {
            throw SqlErrors.of(failed.error(), "batch request");
        }
        throw new SQLNonTransientConnectionException("the server answered a batch without a batch result", "08000");
    }

    private BatchUpdateException failure(List<BoundStatement> entries, PlannedRequest request,
                                         PlannedRequest.Outcome outcome, int[] counts, int committed) {
        List<PlannedRequest.Failure> failures = new ArrayList<>(outcome.failures());
        failures.addAll(rowsOfFailedChunks(entries, request, outcome, counts));
        failures.sort(Comparator.comparingInt(PlannedRequest.Failure::entry));
        HranaError reason = failures.isEmpty() ? firstNonNull(outcome.commitError(), outcome.beginError())
                : failures.get(0).error();
        if (failures.isEmpty()) {
            // Every statement succeeded but the transaction did not commit: all of it failed.
            Arrays.fill(counts, request.firstEntry(), counts.length, Statement.EXECUTE_FAILED);
        }
        for (PlannedRequest.Failure failed : failures) {
            counts[failed.entry()] = Statement.EXECUTE_FAILED;
        }
        String where = failures.isEmpty() ? "COMMIT" : "batch statement #" + failures.get(0).entry();
        SQLException first = SqlErrors.of(reason == null ? new HranaError("transaction not committed", null)
                : reason, where);
        StringBuilder message = new StringBuilder(first.getMessage())
                .append("; ").append(Math.max(failures.size(), 1)).append(" of ").append(request.entryCount())
                .append(" statements failed, none of statements #").append(request.firstEntry()).append("..#")
                .append(counts.length - 1).append(" was committed");
        if (committed > 0) {
            message.append(" (statements #0..#").append(committed - 1).append(" were committed by earlier requests)");
        }
        if (outcome.rollbackError() != null) {
            message.append("; ROLLBACK failed: ").append(outcome.rollbackError().message());
        }
        BatchUpdateException exception = new BatchUpdateException(message.toString(), first.getSQLState(),
                first.getErrorCode(), counts, first);
        for (PlannedRequest.Failure failed : failures) {
            exception.setNextException(SqlErrors.of(failed.error(), "batch statement #" + failed.entry()));
        }
        return exception;
    }

    /**
     * The rows of failed multi-row statements that fail on their own. A syntax error fails every row; otherwise the
     * request's statements run again one per row in a transaction that is always rolled back, which also gives the
     * other rows of those statements their counts.
     */
    private List<PlannedRequest.Failure> rowsOfFailedChunks(List<BoundStatement> entries, PlannedRequest request,
                                                            PlannedRequest.Outcome outcome, int[] counts) {
        List<PlannedRequest.Failure> found = new ArrayList<>();
        if (outcome.failedChunks().isEmpty()) {
            return found;
        }
        boolean allSyntax = outcome.failedChunks().stream()
                .allMatch(chunk -> "PREPARE_ERROR".equals(chunk.error().code()));
        PlannedRequest.Outcome dryRun = allSyntax ? null : dryRun(entries, request);
        for (PlannedRequest.ChunkFailure chunk : outcome.failedChunks()) {
            int[] rows = request.entriesOf(chunk.unit());
            List<PlannedRequest.Failure> inChunk = dryRun == null ? List.of() : dryRun.failures().stream()
                    .map(f -> new PlannedRequest.Failure(f.entry() + request.firstEntry(), f.error()))
                    .filter(f -> f.entry() >= rows[0] && f.entry() <= rows[rows.length - 1]).toList();
            for (int row : rows) {
                // Rows that would have succeeded were rolled back with the rest; the dry run knows their counts.
                counts[row] = dryRun == null ? Statement.SUCCESS_NO_INFO
                        : dryRun.counts()[row - request.firstEntry()];
                if (inChunk.isEmpty()) {
                    found.add(new PlannedRequest.Failure(row, chunk.error()));
                }
            }
            found.addAll(inChunk);
        }
        return found;
    }

    /** The request's entries one per step, always rolled back; null when even that could not be sent. */
    private PlannedRequest.Outcome dryRun(List<BoundStatement> entries, PlannedRequest request) {
        List<BoundStatement> rows = entries.subList(request.firstEntry(), request.firstEntry() + request.entryCount());
        PlannedRequest rowByRow = connection.planner().rowByRow().plan(rows, PlannedRequest.Ending.ROLLBACK).get(0);
        try {
            // Always rolled back, so sending it twice is harmless.
            return rowByRow.outcome(send(rowByRow, true));
        } catch (SQLException e) {
            return null;
        }
    }

    private static HranaError firstNonNull(HranaError a, HranaError b) {
        return a != null ? a : b;
    }
}
