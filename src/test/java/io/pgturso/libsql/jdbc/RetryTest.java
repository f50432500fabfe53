package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgturso.testing.TursoServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transient failures are retried with backoff inside a budget; a write is sent again only when the server certainly
 * did not apply it (429, 503, refused), never after a 502/504 or timeout, where it may have been applied.
 */
class RetryTest {

    private static final String BUSY = "{\"error\":\"overloaded\"}";

    @BeforeEach
    void table() throws SQLException {
        try (Connection connection = DriverManager.getConnection(TursoServer.shared().jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS retried");
            statement.execute("CREATE TABLE retried (id INTEGER PRIMARY KEY)");
        }
    }

    private static Connection connect(HttpStub stub, int attempts) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("retryMaxAttempts", Integer.toString(attempts));
        properties.setProperty("retryInitialBackoffMillis", "10");
        properties.setProperty("requestTimeoutMillis", "500");
        properties.setProperty("closeStreams", "false"); // tursodb behind the stub refuses close
        return DriverManager.getConnection(stub.jdbcUrl(), properties);
    }

    private static long rows() throws SQLException {
        try (Connection connection = DriverManager.getConnection(TursoServer.shared().jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM retried")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void a_write_refused_twice_with_429_succeeds_on_the_third_attempt() throws SQLException {
        try (HttpStub stub = HttpStub.passingTo(TursoServer.shared().url()).thenAnswer(429, BUSY).thenAnswer(429, BUSY);
             Connection connection = connect(stub, 5);
             Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO retried VALUES (1)");
            statement.addBatch("INSERT INTO retried VALUES (2)");
            assertThat(statement.executeBatch()).containsExactly(1, 1);
            assertThat(stub.received()).hasSize(3);
        }
        assertThat(rows()).isEqualTo(2);
    }

    @Test
    void when_the_budget_is_used_up_the_error_is_transient() throws SQLException {
        try (HttpStub stub = HttpStub.answering().alwaysAnswer(429, BUSY);
             Connection connection = connect(stub, 3);
             Statement statement = connection.createStatement()) {
            SQLTransientConnectionException failure = catchThrowableOfType(SQLTransientConnectionException.class,
                    () -> statement.executeUpdate("INSERT INTO retried VALUES (1)"));
            assertThat((Throwable) failure).hasMessageContaining("HTTP 429").hasMessageContaining("overloaded");
            assertThat(stub.received()).hasSize(3);
        }
    }

    @Test
    void a_write_answered_502_is_not_sent_again() throws SQLException {
        try (HttpStub stub = HttpStub.passingTo(TursoServer.shared().url()).thenAnswer(502, "bad gateway");
             Connection connection = connect(stub, 5);
             Statement statement = connection.createStatement()) {
            catchThrowableOfType(SQLTransientConnectionException.class,
                    () -> statement.executeUpdate("INSERT INTO retried VALUES (1)"));
            assertThat(stub.received()).hasSize(1);
        }
        assertThat(rows()).isZero();
    }

    @Test
    void a_read_answered_502_is_sent_again() throws SQLException {
        try (HttpStub stub = HttpStub.passingTo(TursoServer.shared().url()).thenAnswer(502, "bad gateway");
             Connection connection = connect(stub, 5);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM retried")) {
            assertThat(rows.next()).isTrue();
            assertThat(stub.received()).hasSize(2);
        }
    }

    @Test
    void a_write_that_times_out_after_sending_is_a_timeout_and_not_resent() throws SQLException {
        try (HttpStub stub = HttpStub.passingTo(TursoServer.shared().url()).thenHang();
             Connection connection = connect(stub, 5);
             Statement statement = connection.createStatement()) {
            SQLTimeoutException failure = catchThrowableOfType(SQLTimeoutException.class,
                    () -> statement.executeUpdate("INSERT INTO retried VALUES (1)"));
            assertThat((Throwable) failure).hasMessageContaining("may or may not have been applied");
            assertThat(stub.received()).hasSize(1);
        }
    }
}
