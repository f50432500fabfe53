package io.pgturso.pass;

import io.pgturso.source.CopyPages;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How a pass reads its pages when it can do better than one driver query per page: with Postgres' COPY (no per-value
 * decoding in the driver, {@link CopyPages}), and the next page read while this one is transformed and handed to the
 * writer (Postgres runs the next query while the reader works). A page is read ahead with exactly the query and
 * position the pass then asks for, so the rows and their order are those it would read itself.
 */
public final class PageReads {
    private static final ExecutorService AHEAD = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgturso-page-read-ahead");
        t.setDaemon(true);
        return t;
    });

    private final CopyPages copy;

    public PageReads(CopyPages copy) {
        this.copy = copy;
    }

    /**
     * The read of the page {@code sql} with {@code parameters} selects: the rows read ahead for it, or a COPY of it;
     * null, or a read that gives null, when only the driver's query can read it.
     */
    Callable<List<Map<String, Object>>> next(TablePass pass, String sql, List<Object> parameters) {
        Ahead ahead = pass.takeReadAhead();
        if (ahead != null && ahead.sql().equals(sql) && ahead.parameters().equals(parameters)) {
            return ahead::rows;
        }
        if (copy == null || !copy.copyable(sql, parameters, pass.described())) {
            return null;
        }
        return () -> copy.read(copy.connection(), sql, parameters, pass.described());
    }

    /**
     * Starts reading the pass's next page, on a connection taken here; not for a session pinned to this thread (a
     * snapshot that only its thread may use), nor for queries COPY cannot run.
     */
    void readAhead(TablePass pass) throws SQLException {
        if (copy == null || !pass.isMore() || copy.pinned()) {
            return;
        }
        String sql = pass.nextPageSql();
        List<Object> parameters = pass.nextPageParameters();
        if (!copy.copyable(sql, parameters, pass.described())) {
            return;
        }
        Connection connection = copy.connection();
        CompletableFuture<List<Map<String, Object>>> rows;
        try {
            rows = CompletableFuture.supplyAsync(() -> {
                try {
                    return copy.read(connection, sql, parameters, pass.described());
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }, AHEAD);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        pass.readAhead(new Ahead(sql, parameters, rows));
    }

    /** A page being read ahead: its query, parameters and rows (null: COPY could not read it). */
    record Ahead(String sql, List<Object> parameters, CompletableFuture<List<Map<String, Object>>> future) {
        List<Map<String, Object>> rows() throws Exception {
            try {
                return future.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}
