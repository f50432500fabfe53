package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgturso.testing.TursoServer;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Large batches are split under maxRowsPerRequest and maxRequestBytes; each request is its own transaction. */
class RequestSplittingTest {

    private static final String INSERT = "INSERT INTO split (id, payload) VALUES (?, ?)";

    @BeforeEach
    void table() throws SQLException {
        try (Connection connection = DriverManager.getConnection(TursoServer.shared().jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS split");
            statement.execute("CREATE TABLE split (id INTEGER PRIMARY KEY, payload TEXT)");
        }
    }

    private static Connection connect(HttpStub stub, String key, String value) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        properties.setProperty("closeStreams", "false"); // tursodb behind the stub refuses close
        return DriverManager.getConnection(stub.jdbcUrl(), properties);
    }

    private static int[] insert(Connection connection, int rows, int payloadLength, int duplicateAt)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (int i = 0; i < rows; i++) {
                insert.setInt(1, i == duplicateAt ? 0 : i);
                insert.setString(2, "x".repeat(payloadLength));
                insert.addBatch();
            }
            return insert.executeBatch();
        }
    }

    private static long rows() throws SQLException {
        try (Connection connection = DriverManager.getConnection(TursoServer.shared().jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM split")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void max_rows_per_request_is_honoured() throws SQLException {
        try (HttpStub stub = HttpStub.passingTo(TursoServer.shared().url());
             Connection connection = connect(stub, "maxRowsPerRequest", "100")) {
            assertThat(insert(connection, 1050, 10, -1)).hasSize(1050).containsOnly(1);
            assertThat(stub.received()).hasSize(11);
            assertThat(connection.unwrap(LibsqlConnection.class).requestsSent()).isEqualTo(11);
        }
        assertThat(rows()).isEqualTo(1050);
    }

    @Test
    void max_request_bytes_is_honoured() throws SQLException {
        try (HttpStub stub = HttpStub.passingTo(TursoServer.shared().url());
             Connection connection = connect(stub, "maxRequestBytes", "50000")) {
            insert(connection, 300, 1000, -1);
            assertThat(stub.received()).hasSizeGreaterThan(6)
                    .allSatisfy(request -> assertThat(request.bodyBytes()).isLessThanOrEqualTo(50_000));
        }
        assertThat(rows()).isEqualTo(300);
    }

    @Test
    void a_failure_stops_at_its_request_and_earlier_requests_stay_committed() throws SQLException {
        try (HttpStub stub = HttpStub.passingTo(TursoServer.shared().url());
             Connection connection = connect(stub, "maxRowsPerRequest", "100")) {
            BatchUpdateException failure = catchThrowableOfType(BatchUpdateException.class,
                    () -> insert(connection, 500, 10, 250));
            int[] counts = failure.getUpdateCounts();
            assertThat(counts).as("counts end with the failed request").hasSize(300);
            assertThat(counts[250]).isEqualTo(Statement.EXECUTE_FAILED);
            assertThat((Throwable) failure).hasMessageContaining("#0..#199 were committed by earlier requests");
        }
        assertThat(rows()).isEqualTo(200);
    }
}
