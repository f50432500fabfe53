package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.testing.TursoServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Closed objects refuse work, closing twice is harmless, isClosed tells the truth, and closing cascades. */
class ClosedObjectTest {

    /** The server these tests run against (Turso's {@code tursodb}; the libSQL test server in a subclass). */
    String jdbcUrl() {
        return TursoServer.shared().jdbcUrl();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    @Test
    void a_closed_connection_refuses_work_and_closes_twice_quietly() throws SQLException {
        Connection connection = connect();
        assertThat(connection.isClosed()).isFalse();
        assertThat(connection.isValid(5)).isTrue();
        connection.close();
        connection.close();
        assertThat(connection.isClosed()).isTrue();
        assertThat(connection.isValid(5)).isFalse();
        assertThatThrownBy(connection::createStatement).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> connection.prepareStatement("SELECT 1")).isInstanceOf(SQLException.class);
        assertThatThrownBy(connection::getMetaData).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> connection.setAutoCommit(false)).isInstanceOf(SQLException.class);
    }

    @Test
    void closing_a_connection_closes_its_statements_and_results() throws SQLException {
        Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT 1");
        connection.close();
        assertThat(statement.isClosed()).isTrue();
        assertThat(rows.isClosed()).isTrue();
        assertThatThrownBy(rows::next).isInstanceOf(SQLException.class);
    }

    @Test
    void a_closed_statement_refuses_work() throws SQLException {
        try (Connection connection = connect()) {
            PreparedStatement statement = connection.prepareStatement("SELECT ?");
            statement.close();
            statement.close();
            assertThat(statement.isClosed()).isTrue();
            assertThatThrownBy(() -> statement.setInt(1, 1)).isInstanceOf(SQLException.class);
            assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class);
            assertThatThrownBy(statement::executeBatch).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void a_new_execution_closes_the_previous_result() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            ResultSet first = statement.executeQuery("SELECT 1");
            ResultSet second = statement.executeQuery("SELECT 2");
            assertThat(first.isClosed()).isTrue();
            assertThat(second.isClosed()).isFalse();
            second.close();
            second.close();
            assertThatThrownBy(second::next).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void close_on_completion_closes_the_statement_with_its_result() throws SQLException {
        try (Connection connection = connect()) {
            Statement statement = connection.createStatement();
            statement.closeOnCompletion();
            statement.executeQuery("SELECT 1").close();
            assertThat(statement.isClosed()).isTrue();
        }
    }

    @Test
    void unsupported_calls_say_so() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(connection::setSavepoint).isInstanceOf(SQLFeatureNotSupportedException.class);
            assertThatThrownBy(() -> connection.prepareCall("CALL x()"))
                    .isInstanceOf(SQLFeatureNotSupportedException.class);
            assertThatThrownBy(() -> connection.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE,
                    ResultSet.CONCUR_READ_ONLY)).isInstanceOf(SQLFeatureNotSupportedException.class);
            try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                assertThatThrownBy(rows::previous).isInstanceOf(SQLFeatureNotSupportedException.class);
                assertThatThrownBy(() -> rows.updateInt(1, 2)).isInstanceOf(SQLFeatureNotSupportedException.class);
            }
        }
    }
}
