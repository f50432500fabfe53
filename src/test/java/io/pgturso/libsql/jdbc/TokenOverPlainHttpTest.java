package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A token goes over plain http only to this machine: an address literal in 127.0.0.0/8 or ::1, or the name localhost. */
class TokenOverPlainHttpTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.attacker.invalid", "127.0.0.1.attacker.invalid", "127.0.0.1.nip.io", "localhost.attacker.invalid",
            "[::2]", "10.0.0.1"})
    void a_host_that_only_looks_like_loopback_does_not_get_the_token(String host) {
        assertThatThrownBy(() -> connect(host)).isInstanceOf(SQLException.class)
                .hasMessageContaining("plain http").hasMessageNotContaining("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.10.20.30", "localhost", "LOCALHOST", "[::1]", "[0:0:0:0:0:0:0:1]"})
    void this_machine_gets_the_token_over_plain_http(String host) throws SQLException {
        try (Connection connection = connect(host)) {
            assertThat(connection.isClosed()).isFalse();
        }
    }

    private static Connection connect(String host) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("authToken", "s3cret");
        return DriverManager.getConnection("jdbc:libsql:http://" + host + ":8080", properties);
    }
}
