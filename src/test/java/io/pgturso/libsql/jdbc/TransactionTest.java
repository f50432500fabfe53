package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgturso.testing.TursoServer;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** setAutoCommit(false): writes wait for commit() and then apply all together or not at all. */
class TransactionTest {

    /** The server these tests run against (Turso's {@code tursodb}; the libSQL test server in a subclass). */
    String jdbcUrl() {
        return TursoServer.shared().jdbcUrl();
    }

    private Connection connection;
    private Connection observer;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection(jdbcUrl());
        observer = DriverManager.getConnection(jdbcUrl());
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS accounts");
            statement.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0))");
            statement.execute("INSERT INTO accounts VALUES (1, 100), (2, 0)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
        observer.close();
    }

    private long balance(int id) throws SQLException {
        try (PreparedStatement select = observer.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private void transfer(Statement statement, int amount) throws SQLException {
        statement.executeUpdate("UPDATE accounts SET balance = balance - " + amount + " WHERE id = 1");
        statement.executeUpdate("UPDATE accounts SET balance = balance + " + amount + " WHERE id = 2");
    }

    @Test
    void commit_applies_all_writes_together() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            transfer(statement, 30);
            assertThat(balance(1)).as("not visible before commit").isEqualTo(100);
            connection.commit();
        }
        assertThat(balance(1)).isEqualTo(70);
        assertThat(balance(2)).isEqualTo(30);
    }

    @Test
    void rollback_discards_the_writes() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            transfer(statement, 30);
            connection.rollback();
            connection.commit();
        }
        assertThat(balance(1)).isEqualTo(100);
        assertThat(balance(2)).isZero();
    }

    @Test
    void a_failing_write_makes_commit_fail_and_apply_nothing() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE accounts SET balance = balance + 500 WHERE id = 2");
            statement.executeUpdate("UPDATE accounts SET balance = balance - 500 WHERE id = 1");
            BatchUpdateException failure = catchThrowableOfType(BatchUpdateException.class, connection::commit);
            assertThat(failure.getUpdateCounts()).containsExactly(1, Statement.EXECUTE_FAILED);
            assertThat(failure.getSQLState()).isEqualTo("23514");
        }
        assertThat(balance(1)).isEqualTo(100);
        assertThat(balance(2)).isZero();
    }

    @Test
    void switching_autocommit_back_on_commits() throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO accounts VALUES (?, ?)")) {
            for (int id = 10; id < 15; id++) {
                insert.setInt(1, id);
                insert.setInt(2, id);
                insert.addBatch();
            }
            assertThat(insert.executeBatch()).containsOnly(Statement.SUCCESS_NO_INFO);
        }
        connection.setAutoCommit(true);
        assertThat(balance(14)).isEqualTo(14);
    }

    @Test
    void reads_inside_a_transaction_see_committed_data_only() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE accounts SET balance = 1 WHERE id = 1");
            try (ResultSet rows = statement.executeQuery("SELECT balance FROM accounts WHERE id = 1")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(100);
            }
            connection.commit();
        }
        assertThat(balance(1)).isEqualTo(1);
    }

    @Test
    void closing_discards_uncommitted_writes() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            transfer(statement, 10);
        }
        connection.close();
        assertThat(balance(1)).isEqualTo(100);
    }

    @Test
    void transaction_statements_in_sql_text_are_refused() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("BEGIN")).isInstanceOf(SQLFeatureNotSupportedException.class)
                    .hasMessageContaining("setAutoCommit(false)");
            assertThatThrownBy(() -> statement.execute("SAVEPOINT s")).isInstanceOf(SQLFeatureNotSupportedException.class);
            // The server is still outside any transaction: a write commits at once.
            statement.executeUpdate("UPDATE accounts SET balance = 5 WHERE id = 2");
        }
        assertThat(balance(2)).isEqualTo(5);
    }

    @Test
    void commit_and_rollback_need_autocommit_off() {
        assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class).hasMessageContaining("autocommit");
        assertThatThrownBy(connection::rollback).isInstanceOf(SQLException.class).hasMessageContaining("autocommit");
    }
}
