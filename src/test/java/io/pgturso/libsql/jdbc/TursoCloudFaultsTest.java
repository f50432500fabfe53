package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.LibsqlTestServer.Fault;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a libsql-server (Turso Cloud) does that a lenient local server does not, each against the test server. */
@Timeout(60)
class TursoCloudFaultsTest {

    private LibsqlTestServer server = LibsqlTestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private Connection connect(String... properties) throws SQLException {
        Properties given = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            given.setProperty(properties[i], properties[i + 1]);
        }
        return DriverManager.getConnection(server.jdbcUrl(), given);
    }

    /** Reads the server's file directly, as an independent check of what was committed. */
    private List<String> fileRows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection file = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
             ResultSet result = file.createStatement().executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    private void createRollbackTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ar (id INTEGER PRIMARY KEY, u TEXT UNIQUE ON CONFLICT ROLLBACK)");
            statement.execute("INSERT INTO ar VALUES (1, 'dup')");
        }
    }

    @ParameterizedTest(name = "v3 served: {0}")
    @ValueSource(booleans = {true, false})
    void a_batch_that_sqlite_rolls_back_itself_commits_nothing(boolean v3) throws SQLException {
        server.v3(v3);
        try (Connection connection = connect()) {
            createRollbackTable(connection);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ar VALUES (?, ?)")) {
                for (Object[] row : new Object[][] {{10, "a"}, {11, "dup"}, {12, "c"}, {13, "d"}}) {
                    insert.setInt(1, (Integer) row[0]);
                    insert.setString(2, (String) row[1]);
                    insert.addBatch();
                }
                BatchUpdateException failure = catchThrowableOfType(insert::executeBatch, BatchUpdateException.class);
                assertThat((Throwable) failure).isNotNull();
                assertThat(failure.getMessage()).doesNotContain("ROLLBACK failed");
            }
            try (Statement statement = connection.createStatement()) {
                statement.addBatch("INSERT INTO ar VALUES (20, 'a')");
                statement.addBatch("INSERT INTO ar VALUES (21, 'dup')");
                statement.addBatch("INSERT INTO ar VALUES (22, 'c')");
                assertThatThrownBy(statement::executeBatch).isInstanceOf(BatchUpdateException.class);
            }
        }
        assertThat(fileRows("SELECT id FROM ar ORDER BY id")).containsExactly("1");
    }

    @Test
    void a_transaction_that_sqlite_rolls_back_itself_commits_nothing() throws SQLException {
        try (Connection connection = connect()) {
            createRollbackTable(connection);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO ar VALUES (10, 'a')");
                statement.executeUpdate("INSERT INTO ar VALUES (11, 'dup')");
                statement.executeUpdate("INSERT INTO ar VALUES (12, 'c')");
            }
            assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class)
                    .hasMessageNotContaining("ROLLBACK failed");
        }
        assertThat(fileRows("SELECT id FROM ar ORDER BY id")).containsExactly("1");
    }

    @Test
    void every_request_closes_its_stream_over_plain_http() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE s (x INTEGER)");
            for (int i = 0; i < 20; i++) {
                statement.executeUpdate("INSERT INTO s VALUES (" + i + ")");
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM s")) {
                    rows.next();
                }
            }
        }
        assertThat(server.streamsOpened()).isGreaterThanOrEqualTo(40);
        assertThat(server.openStreams()).isZero();
    }

    @Test
    void a_batch_the_server_refuses_as_too_large_is_split_not_sent_row_by_row() throws SQLException {
        server.maxRequestBytes(20_000);
        try (Connection connection = connect()) {
            connection.createStatement().execute("CREATE TABLE big (id INTEGER PRIMARY KEY, text TEXT)");
            long before = server.pipelines();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO big VALUES (?, ?)")) {
                for (int i = 0; i < 2_000; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "row " + i + " ".repeat(60));
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                assertThat(counts).hasSize(2_000).containsOnly(1);
            }
            assertThat(server.pipelines() - before).as("requests sent").isBetween(2L, 200L);
        }
        assertThat(fileRows("SELECT count(*) FROM big")).containsExactly("2000");
    }

    @Test
    void server_error_codes_decide_the_exception_type() {
        assertThat((Throwable) SqlErrors.of(new io.pgturso.libsql.hrana.HranaError("Transaction timed-out",
                "TRANSACTION_TIMEOUT"), "")).isInstanceOf(SQLTransientException.class);
        assertThat((Throwable) SqlErrors.of(new io.pgturso.libsql.hrana.HranaError("busy", "TRANSACTION_BUSY"), ""))
                .isInstanceOf(SQLTransientException.class);
        assertThat((Throwable) SqlErrors.of(new io.pgturso.libsql.hrana.HranaError("SQLite error: UNIQUE constraint failed: t.x",
                "SQLITE_CONSTRAINT"), "")).isInstanceOf(SQLIntegrityConstraintViolationException.class);
        assertThat(SqlErrors.of(new io.pgturso.libsql.hrana.HranaError("Response is too large",
                "RESPONSE_TOO_LARGE"), "").getSQLState()).isEqualTo("54000");
        assertThat((Throwable) SqlErrors.of(new io.pgturso.libsql.hrana.HranaError("near x", "SQL_PARSE_ERROR"), ""))
                .isInstanceOf(java.sql.SQLSyntaxErrorException.class);
    }

    @Test
    void a_write_timed_out_by_the_server_is_retried_once_the_other_writer_is_done() throws Exception {
        server.transactionTimeout(Duration.ofMillis(200));
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE tt (x INTEGER)");
        }
        // another client holds a write transaction (a stream with a baton) past the window
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String holder = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/v2/pipeline"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"baton\":null,\"requests\":["
                                + "{\"type\":\"execute\",\"stmt\":{\"sql\":\"BEGIN\"}},"
                                + "{\"type\":\"execute\",\"stmt\":{\"sql\":\"INSERT INTO tt VALUES (0)\"}}]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).path("baton").asText();
        assertThat(holder).isNotEmpty();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO tt VALUES (1)");
            statement.addBatch("INSERT INTO tt VALUES (2)");
            assertThat(statement.executeBatch()).containsExactly(1, 1);
        }
        assertThat(fileRows("SELECT x FROM tt ORDER BY x")).containsExactly("1", "2");
    }

    @Test
    void responses_over_the_cap_fail_with_a_clear_error() throws SQLException {
        server.maxResponseBytes(10_000);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                    + "SELECT i + 1 FROM n WHERE i < 5000) SELECT i, 'some text' FROM n"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("too large")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("54000");
        }
    }

    @Test
    void infinite_reals_come_back_as_infinity_not_a_failed_result() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 9e999, 1.5")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getDouble(1)).isInfinite();
            assertThat(rows.getDouble(2)).isEqualTo(1.5);
        }
    }

    @Test
    void a_write_answered_503_after_it_applied_is_not_sent_again() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE once (x INTEGER)");
            server.inject(Fault.statusAfter(503));
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO once VALUES (1)"))
                    .isInstanceOf(SQLTransientException.class).hasMessageContaining("may");
            server.inject(Fault.resetAfter());
            assertThatThrownBy(() -> statement.executeUpdate("INSERT INTO once VALUES (2)"))
                    .isInstanceOf(SQLTransientException.class);
            server.inject(Fault.statusBefore(429));
            assertThat(statement.executeUpdate("INSERT INTO once VALUES (3)")).isEqualTo(1);
        }
        assertThat(fileRows("SELECT x FROM once ORDER BY x")).containsExactly("1", "2", "3");
    }

    @Test
    void a_caller_that_opted_in_gets_ambiguous_writes_sent_again() throws SQLException {
        try (Connection connection = connect("retryAmbiguousWrites", "true");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE again (x INTEGER PRIMARY KEY)");
            server.inject(Fault.statusAfter(503));
            assertThat(statement.executeUpdate("INSERT INTO again VALUES (1) ON CONFLICT DO NOTHING")).isZero();
        }
        assertThat(fileRows("SELECT x FROM again")).containsExactly("1");
    }

    @Test
    void a_read_that_timed_out_is_not_run_again_and_again() throws SQLException {
        try (Connection connection = connect("requestTimeoutMillis", "300"); Statement statement =
                connection.createStatement()) {
            server.latency(Duration.ofMillis(600));
            long before = server.pipelines();
            assertThatThrownBy(() -> statement.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
            server.latency(Duration.ZERO);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(server.pipelines() - before).isBetween(1L, 2L));
        }
    }

    @Test
    void the_password_is_the_token() throws SQLException {
        server.token("s3cret");
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "any", "s3cret");
             ResultSet rows = connection.createStatement().executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
        }
        LibsqlDataSource dataSource = new LibsqlDataSource(server.jdbcUrl(), null);
        try (Connection connection = dataSource.getConnection("any", "s3cret");
             ResultSet rows = connection.createStatement().executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
        }
    }

    @Test
    void a_token_is_not_sent_in_clear_text_to_another_host() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("authToken", "s3cret");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:libsql:http://10.11.12.13:8080", properties))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("plain http").hasMessageContaining("allowTokenOverHttp")
                .hasMessageNotContaining("s3cret");
        properties.setProperty("allowTokenOverHttp", "true");
        DriverManager.getConnection("jdbc:libsql:http://10.11.12.13:8080", properties).close();
    }

    @Test
    void statements_of_a_connection_its_pool_closed_after_an_outage_fail_as_transient() throws SQLException {
        try (Connection connection = connect("retryMaxAttempts", "1")) {
            PreparedStatement select = connection.prepareStatement("SELECT 1");
            server.inject(Fault.statusBefore(503));
            assertThatThrownBy(select::executeQuery).isInstanceOf(SQLTransientException.class);
            connection.close(); // what a pool does with a connection that failed with SQLState 08...
            assertThatThrownBy(select::executeQuery).isInstanceOf(SQLTransientException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void a_pool_gets_going_again_after_the_server_restarts() throws Exception {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setMaximumPoolSize(1);
        config.addDataSourceProperty("retryMaxAttempts", "1");
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config)) {
            Connection pooled = pool.getConnection();
            PreparedStatement select = pooled.prepareStatement("SELECT 1");
            server.close();
            assertThatThrownBy(select::executeQuery).isInstanceOf(SQLTransientException.class);
            server = LibsqlTestServer.start(server.databaseFile(), server.port());
            // the pool closed the connection after the outage: its statements fail, as transient, until it is replaced
            assertThatThrownBy(select::executeQuery).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e instanceof SQLTransientException
                            || !(e instanceof java.sql.SQLNonTransientException)
                            && ((SQLException) e).getSQLState().startsWith("08")).as(e.toString()).isTrue());
            pooled.close();
            try (Connection replaced = pool.getConnection();
                 ResultSet rows = replaced.createStatement().executeQuery("SELECT 1")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }
}
