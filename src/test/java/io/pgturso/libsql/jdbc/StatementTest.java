package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.testing.TursoServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single statements: real update counts, generated keys, results, and errors mapped by kind. */
class StatementTest {

    /** The server these tests run against (Turso's {@code tursodb}; the libSQL test server in a subclass). */
    String jdbcUrl() {
        return TursoServer.shared().jdbcUrl();
    }

    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection(jdbcUrl());
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS notes");
            statement.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void update_counts_are_real() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("INSERT INTO notes (body) VALUES ('a'), ('b'), ('c')")).isEqualTo(3);
            assertThat(statement.execute("UPDATE notes SET body = body || '!' WHERE body <> 'a'")).isFalse();
            assertThat(statement.getUpdateCount()).isEqualTo(2);
            assertThat(statement.getMoreResults()).isFalse();
            assertThat(statement.getUpdateCount()).isEqualTo(-1);
            assertThat(statement.executeUpdate("DELETE FROM notes WHERE id > 100")).isZero();
            assertThat(statement.executeUpdate("CREATE INDEX notes_body ON notes (body)")).isZero();
        }
    }

    @Test
    void generated_keys_are_the_rowid_of_the_insert() throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes (body) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, "first");
            insert.executeUpdate();
            insert.setString(1, "second");
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void queries_return_rows_by_label_and_index() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO notes (id, body) VALUES (7, 'seven')");
            assertThat(statement.execute("SELECT id, body AS text, NULL AS missing FROM notes")).isTrue();
            try (ResultSet rows = statement.getResultSet()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt("ID")).isEqualTo(7);
                assertThat(rows.getString(2)).isEqualTo("seven");
                assertThat(rows.findColumn("text")).isEqualTo(2);
                assertThat(rows.getString("missing")).isNull();
                assertThat(rows.wasNull()).isTrue();
                assertThat(rows.next()).isFalse();
            }
        }
    }

    @Test
    void insert_returning_gives_rows() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("INSERT INTO notes (body) VALUES ('r') RETURNING id, body")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("body")).isEqualTo("r");
        }
    }

    @Test
    void max_rows_limits_the_result() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO notes (body) VALUES ('1'), ('2'), ('3'), ('4'), ('5')");
            statement.setMaxRows(2);
            try (ResultSet rows = statement.executeQuery("SELECT body FROM notes")) {
                int count = 0;
                while (rows.next()) {
                    count++;
                }
                assertThat(count).isEqualTo(2);
            }
        }
    }

    @Test
    void constraint_violations_are_integrity_errors() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO notes (body) VALUES ('same')");
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO notes (body) VALUES ('same')"))
                    .isInstanceOf(SQLIntegrityConstraintViolationException.class)
                    .hasMessageContaining("UNIQUE")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO notes (body) VALUES (NULL)"))
                    .isInstanceOf(SQLIntegrityConstraintViolationException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23502"));
        }
    }

    @Test
    void syntax_errors_and_unknown_tables_are_syntax_errors() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELEC 1")).isInstanceOf(SQLSyntaxErrorException.class);
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("no_such_table");
        }
    }

    @Test
    void missing_parameters_are_reported_before_sending() throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT ?, ?")) {
            select.setInt(1, 1);
            assertThatThrownBy(select::executeQuery).hasMessageContaining("parameter 2");
            assertThatThrownBy(() -> select.setInt(3, 1)).hasMessageContaining("out of range");
            assertThat(select.getParameterMetaData().getParameterCount()).isEqualTo(2);
        }
    }

    @Test
    void query_and_update_methods_insist_on_their_kind() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("SELECT 1")).hasMessageContaining("returned rows");
            assertThatThrownBy(() -> statement.executeQuery("DELETE FROM notes")).hasMessageContaining("no rows");
        }
    }
}
