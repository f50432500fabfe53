package io.pgturso.libsql.bench;

import io.pgturso.libsql.hrana.BatchCondition;
import io.pgturso.libsql.hrana.BatchStep;
import io.pgturso.libsql.hrana.HranaClient;
import io.pgturso.libsql.hrana.PipelineRequest;
import io.pgturso.libsql.hrana.PipelineResponse;
import io.pgturso.libsql.hrana.RetryPolicy;
import io.pgturso.libsql.hrana.StreamRequest;
import io.pgturso.libsql.hrana.StreamResponse;
import io.pgturso.libsql.hrana.StreamResult;
import io.pgturso.libsql.hrana.Stmt;
import io.pgturso.libsql.hrana.Value;
import io.pgturso.testing.TursoServer;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rows per second of single-row upserts into a local tursodb: through the driver's executeBatch, as hand-built
 * multi-row statements in one request (the server's limit), and one row per request. Run with
 * {@code mvn -B -q -Pbench-driver process-test-classes}.
 */
public final class DriverBenchmark {

    private static final int ROWS = 100_000;
    private static final int SINGLE_REQUEST_ROWS = 5_000;
    private static final int ROWS_PER_STATEMENT = 500;
    private static final String COLUMNS = "id, name, amount, quantity, updated_at";
    private static final String UPSERT = "INSERT INTO bench (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT(id) DO UPDATE SET name = excluded.name, amount = excluded.amount, "
            + "quantity = excluded.quantity, updated_at = excluded.updated_at";

    private DriverBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (TursoServer server = TursoServer.start();
             Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
            List<String[]> table = new ArrayList<>();
            resetTable(connection);
            executeBatch(connection, 20_000, 1_000);
            table.add(measure(connection, "driver executeBatch, batches of 1,000", ROWS,
                    () -> executeBatch(connection, ROWS, 1_000)));
            table.add(measure(connection, "driver executeBatch, batches of 10,000", ROWS,
                    () -> executeBatch(connection, ROWS, 10_000)));
            HranaClient client = new HranaClient(URI.create(server.url()), null, Duration.ofSeconds(10),
                    Duration.ofMinutes(5), RetryPolicy.NONE);
            table.add(measure(connection, "hand-built multi-row upserts (" + ROWS_PER_STATEMENT
                    + " rows each), one request", ROWS, () -> multiRowRequest(client, ROWS)));
            table.add(measure(connection, "driver executeUpdate, one row per request", SINGLE_REQUEST_ROWS,
                    () -> onePerRequest(connection, SINGLE_REQUEST_ROWS)));
            print(table);
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static String[] measure(Connection connection, String what, int rows, Run run) throws Exception {
        resetTable(connection);
        long started = System.nanoTime();
        run.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        long stored = count(connection);
        if (stored != rows) {
            throw new IllegalStateException(what + ": expected " + rows + " rows, found " + stored);
        }
        return new String[] {what, String.format(Locale.ROOT, "%,d", rows),
            String.format(Locale.ROOT, "%.2f", seconds), String.format(Locale.ROOT, "%,.0f", rows / seconds)};
    }

    private static void executeBatch(Connection connection, int rows, int batchSize) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (int id = 0; id < rows; id++) {
                upsert.setLong(1, id);
                upsert.setString(2, "customer " + id);
                upsert.setDouble(3, id * 1.25);
                upsert.setLong(4, id % 97);
                upsert.setString(5, "2024-06-01T12:00:00." + (id % 1000) + "Z");
                upsert.addBatch();
                if ((id + 1) % batchSize == 0) {
                    upsert.executeBatch();
                }
            }
            upsert.executeBatch();
        }
    }

    private static void onePerRequest(Connection connection, int rows) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            for (int id = 0; id < rows; id++) {
                upsert.setLong(1, id);
                upsert.setString(2, "customer " + id);
                upsert.setDouble(3, id * 1.25);
                upsert.setLong(4, id % 97);
                upsert.setString(5, "2024-06-01T12:00:00." + (id % 1000) + "Z");
                upsert.executeUpdate();
            }
        }
    }

    /** BEGIN, multi-row upserts, COMMIT in one request: what the server does at best. */
    private static void multiRowRequest(HranaClient client, int rows) throws Exception {
        String tuple = "(?, ?, ?, ?, ?)";
        String values = String.join(", ", java.util.Collections.nCopies(ROWS_PER_STATEMENT, tuple));
        String sql = "INSERT INTO bench (" + COLUMNS + ") VALUES " + values + UPSERT.substring(UPSERT.indexOf(" ON"));
        List<BatchStep> steps = new ArrayList<>();
        steps.add(BatchStep.always(Stmt.of("BEGIN")));
        for (int first = 0; first < rows; first += ROWS_PER_STATEMENT) {
            List<Value> args = new ArrayList<>();
            for (int id = first; id < first + ROWS_PER_STATEMENT; id++) {
                args.add(Value.of((long) id));
                args.add(Value.of("customer " + id));
                args.add(Value.of(id * 1.25));
                args.add(Value.of((long) (id % 97)));
                args.add(Value.of("2024-06-01T12:00:00." + (id % 1000) + "Z"));
            }
            steps.add(BatchStep.when(BatchCondition.ok(steps.size() - 1), new Stmt(sql, args, false)));
        }
        steps.add(BatchStep.when(BatchCondition.ok(steps.size() - 1), Stmt.of("COMMIT")));
        steps.add(BatchStep.when(BatchCondition.not(BatchCondition.ok(steps.size() - 1)), Stmt.of("ROLLBACK")));
        PipelineResponse response = client.send(PipelineRequest.of(StreamRequest.batch(steps)), false, null);
        StreamResult result = response.results().get(0);
        if (!(result instanceof StreamResult.Ok ok && ok.response() instanceof StreamResponse.Batch batch
                && batch.result().succeeded(steps.size() - 2))) {
            throw new IllegalStateException("the multi-row request did not commit: " + result);
        }
    }

    private static void resetTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bench");
            statement.execute("CREATE TABLE bench (id INTEGER PRIMARY KEY, name TEXT, amount REAL, quantity INTEGER,"
                    + " updated_at TEXT)");
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM bench")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void print(List<String[]> table) {
        String format = "%-62s %10s %9s %10s%n";
        System.out.printf(Locale.ROOT, format, "upserts (5 columns) into a local tursodb", "rows", "seconds", "rows/s");
        for (String[] row : table) {
            System.out.printf(Locale.ROOT, format, (Object[]) row);
        }
    }
}
