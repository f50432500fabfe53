package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.BatchCondition;
import io.pgturso.libsql.hrana.BatchResult;
import io.pgturso.libsql.hrana.BatchStep;
import io.pgturso.libsql.hrana.HranaException;
import io.pgturso.libsql.hrana.PipelineRequest;
import io.pgturso.libsql.hrana.PipelineResponse;
import io.pgturso.libsql.hrana.StatementResult;
import io.pgturso.libsql.hrana.Stmt;
import io.pgturso.libsql.hrana.StreamRequest;
import io.pgturso.libsql.hrana.StreamResponse;
import io.pgturso.libsql.hrana.StreamResult;
import io.pgturso.libsql.hrana.Value;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.List;

/**
 * Runs one statement in its own request. When the server does not report affected rows (the local server reports 0),
 * a write is followed in the same batch by {@code SELECT changes(), last_insert_rowid()}, so update counts are real.
 */
final class StatementRunner {

    /** What one statement did. */
    record Execution(StatementResult result, long updateCount, Long lastInsertRowid) {
    }

    private static final Stmt CHANGES = Stmt.of("SELECT changes(), last_insert_rowid()");

    private final LibsqlConnection connection;

    StatementRunner(LibsqlConnection connection) {
        this.connection = connection;
    }

    Execution run(ParsedSql parsed, List<Value> args, Duration timeout) throws SQLException {
        Stmt stmt = parsed.stmt(args, true);
        boolean write = parsed.kind() == ParsedSql.Kind.WRITE;
        // A read can be sent again after an outage; a write only when the server surely did not get it, or when the
        // caller said its writes are idempotent (retryAmbiguousWrites).
        boolean repeatable = parsed.kind() == ParsedSql.Kind.QUERY || connection.settings().retryAmbiguousWrites();
        if (!write || connection.countsReportedByServer()) {
            StatementResult result = executeOnly(stmt, repeatable, timeout);
            if (write && result.affectedRowCount() > 0) {
                connection.serverReportsCounts();
            }
            return new Execution(result, write ? result.affectedRowCount() : 0, result.lastInsertRowidOrNull());
        }
        BatchResult batch = batch(stmt, timeout);
        StatementResult result = batch.result(0);
        if (result == null) {
            throw SqlErrors.of(batch.error(0), "");
        }
        long count = result.affectedRowCount();
        Long rowid = result.lastInsertRowidOrNull();
        StatementResult changes = batch.result(1);
        if (changes != null && !changes.rows().isEmpty()) {
            List<Value> row = changes.rows().get(0);
            if (row.get(0) instanceof Value.IntegerValue changed) {
                count = Math.max(count, changed.value());
            }
            if (rowid == null && count > 0 && row.get(1) instanceof Value.IntegerValue last) {
                rowid = last.value();
            }
        }
        if (result.affectedRowCount() > 0) {
            connection.serverReportsCounts();
        }
        return new Execution(result, count, rowid);
    }

    private StatementResult executeOnly(Stmt stmt, boolean repeatable, Duration timeout) throws SQLException {
        StreamResult only = sendOne(PipelineRequest.of(StreamRequest.execute(stmt)), repeatable, timeout);
        if (only instanceof StreamResult.Ok ok && ok.response() instanceof StreamResponse.Execute execute) {
            return execute.result();
        }
        throw unexpected();
    }

    private BatchResult batch(Stmt stmt, Duration timeout) throws SQLException {
        List<BatchStep> steps = List.of(BatchStep.always(stmt), BatchStep.when(BatchCondition.ok(0), CHANGES));
        StreamResult only = sendOne(PipelineRequest.of(StreamRequest.batch(steps)),
                connection.settings().retryAmbiguousWrites(), timeout);
        if (only instanceof StreamResult.Ok ok && ok.response() instanceof StreamResponse.Batch batch) {
            return batch.result();
        }
        throw unexpected();
    }

    private StreamResult sendOne(PipelineRequest request, boolean repeatable, Duration timeout) throws SQLException {
        PipelineResponse response;
        try {
            response = connection.client().send(request, repeatable, timeout);
        } catch (HranaException e) {
            throw SqlErrors.of(e);
        }
        if (response.results().isEmpty()) {
            throw unexpected();
        }
        StreamResult only = response.results().get(0);
        if (only instanceof StreamResult.Failed failed) {
            throw SqlErrors.of(failed.error(), "");
        }
        return only;
    }

    private static SQLException unexpected() {
        return new SQLNonTransientConnectionException("the server's response does not match the request", "08000");
    }
}
