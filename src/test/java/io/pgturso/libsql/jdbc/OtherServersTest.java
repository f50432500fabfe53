package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgturso.testing.LibsqlTestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What servers other than {@code tursodb} and libsql-server do: libSQL's Python test server (infinite REALs as
 * {@code Infinity}, bodies over 1 MiB refused with HTTP 413, as nginx's default proxy limit also does), each
 * against the test server set up to do it.
 */
@Timeout(120)
class OtherServersTest {

    private static final int MIB = 1024 * 1024;
    private static final String INSERT = "INSERT INTO wide (id, payload) VALUES (?, ?)";

    private final LibsqlTestServer server = LibsqlTestServer.start();

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

    private long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + server.databaseFile());
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Inserts rows {@code from..to-1} of about 1.4 KB each in one batch; returns the payload bytes sent. */
    private static long insert(Connection connection, int from, int to) throws SQLException {
        long bytes = 0;
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (int id = from; id < to; id++) {
                String payload = (id + "-").repeat(1400 / (id + "-").length() + 1);
                bytes += payload.length();
                insert.setInt(1, id);
                insert.setString(2, payload);
                insert.addBatch();
            }
            assertThat(insert.executeBatch()).hasSize(to - from);
        }
        return bytes;
    }

    private void createWide() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE wide (id INTEGER PRIMARY KEY, payload TEXT)");
        }
    }

    @Test
    void infinite_reals_written_as_bare_Infinity_tokens_are_read_with_their_sign() throws SQLException {
        server.infinityTokens(true);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE reals (x REAL)");
            statement.execute("INSERT INTO reals VALUES (9e999), (-9e999), (1.5)");
            try (ResultSet rows = statement.executeQuery("SELECT x, typeof(x) FROM reals ORDER BY rowid")) {
                rows.next();
                assertThat(rows.getDouble(1)).isEqualTo(Double.POSITIVE_INFINITY);
                assertThat(rows.getString(2)).isEqualTo("real");
                rows.next();
                assertThat(rows.getDouble(1)).isEqualTo(Double.NEGATIVE_INFINITY);
                rows.next();
                assertThat(rows.getObject(1)).isEqualTo(1.5);
            }
        }
    }

    @Test
    void a_batch_refused_as_too_large_settles_on_bodies_that_fit_and_later_connections_start_there()
            throws SQLException {
        server.maxRequestBytes(MIB);
        createWide();
        long payload;
        try (Connection connection = connect()) {
            payload = insert(connection, 0, 12_000);
        }
        long requests = server.requests();
        long refused = server.refusedAsTooLarge();
        String measured = requests + " requests, " + refused + " answered 413";
        assertThat(requests).as(measured).isLessThanOrEqualTo(payload / MIB * 5 / 4 + 10);
        assertThat(refused).as(measured).isLessThanOrEqualTo(8);
        assertThat(count("SELECT count(*) FROM wide")).isEqualTo(12_000);

        try (Connection later = connect()) {
            insert(later, 12_000, 16_000);
        }
        // starting again from maxRequestBytes would take three refusals (5.6 MB, 2.8 MB, 1.4 MB) to get under 1 MiB
        assertThat(server.refusedAsTooLarge() - refused).as("a later connection starts from the size learned")
                .isLessThanOrEqualTo(1);
        assertThat(count("SELECT count(*) FROM wide")).isEqualTo(16_000);
    }

    @Test
    void a_transaction_too_large_for_the_server_is_refused_whole_and_sent_once() throws SQLException {
        server.maxRequestBytes(MIB);
        createWide();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            insert(connection, 0, 3_000);
            SQLException refused = catchThrowableOfType(connection::commit, SQLException.class);
            assertThat(refused.getSQLState()).isEqualTo("54000");
            assertThat((Throwable) refused).hasMessageContaining("HTTP 413");
        }
        assertThat(server.refusedAsTooLarge()).as("the same body is not sent again to be refused again").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM wide")).isZero();
    }

    @Test
    void with_split_transactions_a_commit_too_large_for_the_server_is_sent_as_requests_that_fit()
            throws SQLException {
        server.maxRequestBytes(MIB);
        createWide();
        long payload;
        try (Connection connection = connect("splitTransactions", "true")) {
            connection.setAutoCommit(false);
            payload = insert(connection, 0, 3_000);
            connection.commit();
        }
        assertThat(server.requests()).isLessThanOrEqualTo(payload / MIB + 8);
        assertThat(count("SELECT count(*) FROM wide")).isEqualTo(3_000);
    }

    @Test
    void a_limit_raised_later_is_found_by_trying_a_larger_body_now_and_then() throws SQLException {
        server.maxRequestBytes(64 * 1024);
        createWide();
        try (Connection connection = connect()) {
            insert(connection, 0, 600);
            server.maxRequestBytes(4 * MIB);
            long before = server.requests();
            for (int k = 1; k <= 40; k++) {
                insert(connection, k * 600, (k + 1) * 600);
            }
            long last = server.requests();
            insert(connection, 41 * 600, 42 * 600);
            assertThat(server.requests() - last).as("the last batch, after %s requests at the old limit",
                    last - before).isEqualTo(1);
        }
        assertThat(count("SELECT count(*) FROM wide")).isEqualTo(42 * 600);
    }
}
