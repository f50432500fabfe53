package io.pgturso.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The test server fixture: starts, restarts on the same port and file, survives a kill with committed data. */
class TursoServerTest {

    private static long count(TursoServer server) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM kept")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void restart_and_kill_keep_the_port_and_the_committed_rows() throws SQLException {
        try (TursoServer server = TursoServer.start()) {
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)");
                statement.executeUpdate("INSERT INTO kept VALUES (1), (2)");
            }
            int port = server.port();
            server.restart();
            assertThat(server.port()).isEqualTo(port);
            assertThat(count(server)).isEqualTo(2);

            server.kill();
            assertThat(server.isRunning()).isFalse();
            server.startAgain();
            assertThat(count(server)).isEqualTo(2);
            assertThat(server.logFile()).exists();
        }
    }
}
