package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A rejected token: the local server ignores tokens, so a stub answers 401/403 as Turso Cloud does. The failure
 * names the host and the remedy, never the token, and is not retried.
 */
class AuthFailureTest {

    private static final String TOKEN = "eyJhbGciOiJFZERTQSJ9.secret-part";

    private static Properties withToken() {
        Properties properties = new Properties();
        properties.setProperty("authToken", TOKEN);
        return properties;
    }

    @Test
    void http_401_is_an_authorization_error_without_the_token() throws Exception {
        try (HttpStub stub = HttpStub.answering().alwaysAnswer(401, "{\"error\":\"token " + TOKEN + " expired\"}");
             Connection connection = DriverManager.getConnection(stub.jdbcUrl(), withToken());
             Statement statement = connection.createStatement()) {
            SQLInvalidAuthorizationSpecException failure = catchThrowableOfType(
                    SQLInvalidAuthorizationSpecException.class, () -> statement.executeQuery("SELECT 1"));

            String host = stub.jdbcUrl().substring("jdbc:libsql:http://".length());
            assertThat((Throwable) failure).hasMessage("token rejected by " + host
                    + " (HTTP 401): check TURSO_AUTH_TOKEN or the authToken property");
            assertThat(failure.getSQLState()).isEqualTo("28000");
            assertThat(stackText(failure)).doesNotContain("secret-part");
            assertThat(stub.received()).hasSize(1);
            assertThat(stub.received().get(0).authorization()).isEqualTo("Bearer " + TOKEN);
        }
    }

    @Test
    void http_403_is_an_authorization_error_too() throws Exception {
        try (HttpStub stub = HttpStub.answering().alwaysAnswer(403, "forbidden");
             Connection connection = DriverManager.getConnection(stub.jdbcUrl() + "?authToken=" + TOKEN);
             Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO t VALUES (1)");
            SQLInvalidAuthorizationSpecException failure = catchThrowableOfType(
                    SQLInvalidAuthorizationSpecException.class, statement::executeBatch);
            assertThat((Throwable) failure).hasMessageContaining("(HTTP 403)");
            assertThat(stackText(failure)).doesNotContain("secret-part");
            assertThat(connection.toString()).doesNotContain("secret-part");
        }
    }

    private static String stackText(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
