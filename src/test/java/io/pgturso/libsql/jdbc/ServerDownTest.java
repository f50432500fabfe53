package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgturso.testing.TursoServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server that is down gives a transient exception quickly (no hang), and the connection works once it is back. */
class ServerDownTest {

    private TursoServer server;
    private Connection connection;

    @BeforeEach
    void start() throws SQLException {
        server = TursoServer.start();
        Properties properties = new Properties();
        properties.setProperty("retryMaxAttempts", "3");
        properties.setProperty("retryInitialBackoffMillis", "20");
        properties.setProperty("connectTimeoutMillis", "2000");
        connection = DriverManager.getConnection(server.jdbcUrl(), properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT)");
        }
    }

    @AfterEach
    void stop() throws SQLException {
        connection.close();
        server.stop();
    }

    @Test
    void a_refused_connection_is_a_transient_error_and_the_connection_recovers() throws SQLException {
        server.stop();
        long started = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            SQLTransientConnectionException failure = catchThrowableOfType(SQLTransientConnectionException.class,
                    () -> statement.executeQuery("SELECT count(*) FROM events"));
            assertThat((Throwable) failure).hasMessageContaining("cannot connect to 127.0.0.1:" + server.port());
            assertThat(failure.getSQLState()).isEqualTo("08001");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(connection.unwrap(LibsqlConnection.class).requestsSent()).as("retried within the budget")
                .isGreaterThanOrEqualTo(3);

        server.startAgain();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            rows.next();
            assertThat(rows.getLong(1)).isZero();
        }
    }

    @Test
    void a_batch_to_a_stopped_server_fails_transiently_and_writes_nothing() throws SQLException {
        server.stop();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events (id, what) VALUES (?, ?)")) {
            for (int i = 0; i < 10; i++) {
                insert.setInt(1, i);
                insert.setString(2, "event " + i);
                insert.addBatch();
            }
            catchThrowableOfType(SQLTransientConnectionException.class, insert::executeBatch);
        }
        server.startAgain();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
            rows.next();
            assertThat(rows.getLong(1)).isZero();
        }
    }
}
