package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.testing.TursoServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Requests end with a Hrana close where the server takes it (Turso Cloud); a server that refuses it is asked once. */
class StreamCloseTest {
    private static final String SELECT_ONE_AND_CLOSE = """
            {"baton":null,"base_url":null,"results":[
              {"type":"ok","response":{"type":"execute","result":{"cols":[{"name":"one","decltype":null}],
               "rows":[[{"type":"integer","value":"1"}]],"affected_row_count":0,"last_insert_rowid":null}}},
              {"type":"ok","response":{"type":"close"}}]}""";

    private static Properties closing(String value) {
        Properties properties = new Properties();
        properties.setProperty("closeStreams", value);
        return properties;
    }

    private static long selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1 AS one")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void each_request_ends_with_close_where_the_server_accepts_it() throws SQLException {
        try (HttpStub stub = HttpStub.answering().alwaysAnswer(200, SELECT_ONE_AND_CLOSE);
             Connection connection = DriverManager.getConnection(stub.jdbcUrl(), closing("true"))) {
            assertThat(selectOne(connection)).isEqualTo(1);
            assertThat(selectOne(connection)).isEqualTo(1);

            assertThat(stub.received()).hasSize(2).allSatisfy(r -> assertThat(r.body()).endsWith("{\"type\":\"close\"}]}"));
        }
    }

    @Test
    void a_server_that_refuses_close_is_asked_once_and_then_never_again() throws SQLException {
        try (HttpStub stub = HttpStub.passingTo(TursoServer.shared().url());
             Connection connection = DriverManager.getConnection(stub.jdbcUrl(), closing("true"))) {
            assertThat(selectOne(connection)).isEqualTo(1);
            assertThat(selectOne(connection)).isEqualTo(1);

            assertThat(stub.received()).hasSize(3);
            assertThat(stub.received().get(0).body()).contains("\"close\"");
            assertThat(stub.received().get(1).body()).doesNotContain("\"close\"");
            assertThat(stub.received().get(2).body()).doesNotContain("\"close\"");
        }
    }

    @Test
    void close_is_on_for_every_scheme_by_default_and_the_setting_is_checked() throws SQLException {
        assertThat(ConnectionSettings.from("jdbc:libsql://db-org.turso.io", new Properties()).closeStreams()).isTrue();
        assertThat(ConnectionSettings.from("jdbc:libsql:http://127.0.0.1:8080", new Properties()).closeStreams()).isTrue();
        assertThat(ConnectionSettings.from("jdbc:libsql:http://127.0.0.1:8080", closing("false")).closeStreams())
                .isFalse();
        assertThatThrownBy(() -> ConnectionSettings.from("jdbc:libsql:http://127.0.0.1:8080", closing("sometimes")))
                .hasMessageContaining("closeStreams must be auto, true or false");
    }
}
