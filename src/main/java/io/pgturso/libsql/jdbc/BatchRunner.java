package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.BatchResult;
import io.pgturso.libsql.hrana.FailureKind;
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
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
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

    /**
     * Runs the entries; {@code planner} decides rewriting and splitting. Returns one update count per entry. Each
     * request is planned when it is sent, within the body size the server is known to take (learned from its HTTP
     * 413 answers: a refused request is planned again smaller); a request the server rolled back for a transient
     * reason (its transaction window, a busy lock) is sent again smaller, within the retry policy.
     */
    int[] run(List<BoundStatement> entries, BatchPlanner planner) throws SQLException {
        int[] counts = new int[entries.size()];
        int committed = 0;
        boolean splittable = planner.maxRowsPerRequest() != Integer.MAX_VALUE;
        Deque<PlannedRequest> queue = new ArrayDeque<>(); // requests planned again smaller, sent before the rest
        int planned = 0; // the entries before this one are in requests sent or queued
        int retries = 0;
        while (!queue.isEmpty() || planned < entries.size()) {
            PlannedRequest request = queue.isEmpty() ? next(entries, planned, planner, splittable) : queue.pollFirst();
            planned = Math.max(planned, request.firstEntry() + request.entryCount());
            BatchResult result;
            long started = System.nanoTime();
            try {
                result = send(request, connection.settings().retryAmbiguousWrites());
            } catch (SQLException e) {
                if (isTooLarge(e) && splittable && request.entryCount() > 1) {
                    queue.clear(); // what was queued follows this request: all of it is planned again, to fit
                    planned = request.firstEntry();
                    continue;
                }
                if (isTooLarge(e)) {
                    e = tooLarge(e, splittable);
                }
                if (e instanceof java.sql.SQLTimeoutException) {
                    connection.requestSize().shrink(request.entryCount());
                }
                if (committed == 0) {
                    throw e;
                }
                throw new BatchUpdateException(e.getMessage() + "; statements #0..#" + (committed - 1)
                        + " were committed by earlier requests, the rest was not applied or may not have been",
                        e.getSQLState(), e.getErrorCode(), Arrays.copyOf(counts, committed), e);
            }
            connection.requestSize().answered(request.entryCount(), Duration.ofNanos(System.nanoTime() - started));
            PlannedRequest.Outcome outcome = request.outcome(result);
            if (outcome.countsReported()) {
                connection.serverReportsCounts();
            }
            if (!outcome.committed() && rolledBackForNow(outcome) && retries < maxRetries()) {
                // nothing of it was committed: the same rows, fewer per request, after a pause
                retries++;
                String host = connection.client().host();
                connection.client().listener().requestRetried(host, rollbackKind(outcome));
                connection.requestSize().shrink(request.entryCount());
                pause(retries);
                if (splittable && request.entryCount() > 1) {
                    pushSmaller(queue, entries, planner, request);
                } else {
                    queue.addFirst(request);
                }
                continue;
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

    /** The next request from entry {@code from}, within the body size the server is known to take when splittable. */
    private PlannedRequest next(List<BoundStatement> entries, int from, BatchPlanner planner, boolean splittable)
            throws SQLException {
        BatchPlanner fitting = splittable ? planner.limitedTo(Integer.MAX_VALUE, connection.client().maxBodyBytes())
                : planner;
        return fitting.planFirst(entries, from, entries.size(), PlannedRequest.Ending.COMMIT_IF_ALL_OK);
    }

    private static void pushSmaller(Deque<PlannedRequest> queue, List<BoundStatement> entries, BatchPlanner planner,
                                    PlannedRequest request) throws SQLException {
        int rows = Math.max(1, request.entryCount() / 2);
        long bytes = Math.max(RequestSize.FIXED * 2L, planner.maxRequestBytes() / 2);
        List<PlannedRequest> parts = planner.limitedTo(rows, bytes).plan(entries, request.firstEntry(),
                request.firstEntry() + request.entryCount(), PlannedRequest.Ending.COMMIT_IF_ALL_OK);
        for (int k = parts.size() - 1; k >= 0; k--) {
            queue.addFirst(parts.get(k));
        }
    }

    private static SQLException tooLarge(SQLException e, boolean splittable) {
        String hint = splittable ? "one statement alone is larger than the server takes"
                : "a transaction is sent in one request: commit fewer writes at a time, or set splitTransactions=true "
                + "if they need not be atomic";
        return new java.sql.SQLNonTransientException(e.getMessage() + "; " + hint, e.getSQLState(), e.getErrorCode(),
                e);
    }

    private static boolean isTooLarge(SQLException e) {
        return SqlErrors.RESPONSE_TOO_LARGE_STATE.equals(e.getSQLState()) && e.getErrorCode() == 413;
    }

    /** True when the server rolled the request back for a reason that passes (transaction window, busy lock). */
    private static boolean rolledBackForNow(PlannedRequest.Outcome outcome) {
        List<HranaError> errors = new ArrayList<>();
        outcome.failures().forEach(f -> errors.add(f.error()));
        outcome.failedChunks().forEach(f -> errors.add(f.error()));
        errors.add(outcome.beginError());
        errors.add(outcome.commitError());
        errors.removeIf(java.util.Objects::isNull);
        return !errors.isEmpty() && errors.stream()
                .allMatch(error -> SqlErrors.of(error, "") instanceof java.sql.SQLTransientException);
    }

    // The kind of the first error that rolled the request back, for the request listener.
    private static String rollbackKind(PlannedRequest.Outcome outcome) {
        List<HranaError> errors = new ArrayList<>();
        outcome.failures().forEach(f -> errors.add(f.error()));
        outcome.failedChunks().forEach(f -> errors.add(f.error()));
        errors.add(outcome.beginError());
        errors.add(outcome.commitError());
        return errors.stream().filter(java.util.Objects::nonNull).findFirst().map(FailureKind::of).orElse("other");
    }

    private int maxRetries() {
        return connection.settings().retryPolicy().maxAttempts() - 1;
    }

    private void pause(int retry) throws SQLException {
        try {
            Thread.sleep(connection.settings().retryPolicy().backoff(retry).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.sql.SQLTransientException("interrupted while waiting to send a batch again", "40001", e);
        }
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
        try {
            PlannedRequest rowByRow = connection.planner().rowByRow().plan(rows, PlannedRequest.Ending.ROLLBACK).get(0);
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
