package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** URL forms, properties, and the token staying out of every text. */
class LibsqlUrlTest {

    private final LibsqlDriver driver = new LibsqlDriver();

    @Test
    void the_remote_forms_are_accepted() throws SQLException {
        assertThat(LibsqlUrl.parse("jdbc:libsql://db-org.turso.io").serverUri())
                .isEqualTo(URI.create("https://db-org.turso.io"));
        assertThat(LibsqlUrl.parse("jdbc:libsql:https://db.example:8443/base").serverUri())
                .isEqualTo(URI.create("https://db.example:8443/base"));
        assertThat(LibsqlUrl.parse("jdbc:libsql:http://127.0.0.1:8080").serverUri())
                .isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(LibsqlUrl.parse("jdbc:libsql:libsql://db-org.turso.io").serverUri())
                .isEqualTo(URI.create("https://db-org.turso.io"));
        assertThat(driver.acceptsURL("jdbc:libsql://db-org.turso.io")).isTrue();
        assertThat(driver.acceptsURL("jdbc:libsql:file:local.db")).isFalse();
        assertThat(driver.acceptsURL("jdbc:sqlite:local.db")).isFalse();
        assertThat(driver.acceptsURL(null)).isFalse();
    }

    @Test
    void file_urls_are_sent_to_sqlite_jdbc_with_a_clear_message() {
        assertThatThrownBy(() -> driver.connect("jdbc:libsql:file:local.db", new Properties()))
                .isInstanceOf(SQLException.class).hasMessageContaining("jdbc:sqlite:");
    }

    @Test
    void urls_of_other_drivers_get_null_as_DriverManager_expects() throws SQLException {
        assertThat(driver.connect("jdbc:postgresql://localhost/db", new Properties())).isNull();
    }

    @Test
    void a_token_in_the_url_is_redacted_everywhere() throws SQLException {
        String url = "jdbc:libsql://db-org.turso.io?authToken=eyJsecret.token&requestTimeoutMillis=5000";
        try (Connection connection = DriverManager.getConnection(url)) {
            assertThat(connection.toString()).doesNotContain("eyJsecret");
            assertThat(connection.getMetaData().getURL()).doesNotContain("eyJsecret")
                    .isEqualTo("jdbc:libsql://db-org.turso.io?authToken=***&requestTimeoutMillis=5000");
            assertThat(connection.getNetworkTimeout()).isEqualTo(5000);
        }
        assertThatThrownBy(() -> LibsqlUrl.parse("jdbc:libsql://bad host?authToken=eyJsecret"))
                .isInstanceOf(SQLException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain("eyJsecret"));
    }

    @Test
    void given_properties_override_the_url_query() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("requestTimeoutMillis", "7000");
        ConnectionSettings settings = ConnectionSettings.from("jdbc:libsql://h?requestTimeoutMillis=5000", properties);
        assertThat(settings.requestTimeout().toMillis()).isEqualTo(7000);
        assertThat(settings.maxRowsPerRequest()).isEqualTo(10_000);
        assertThat(settings.rewriteBatchedInserts()).isTrue();
        assertThat(settings.toString()).doesNotContain("AuthToken");
    }

    @Test
    void bad_property_values_are_refused_by_name() {
        Properties properties = new Properties();
        properties.setProperty("maxRowsPerRequest", "lots");
        assertThatThrownBy(() -> ConnectionSettings.from("jdbc:libsql://h", properties))
                .hasMessageContaining("maxRowsPerRequest");
    }

    @Test
    void property_info_lists_every_property_but_never_the_token_value() {
        Properties properties = new Properties();
        properties.setProperty("authToken", "eyJsecret");
        assertThat(driver.getPropertyInfo("jdbc:libsql://h", properties))
                .extracting(info -> info.name).contains("authToken", "maxRowsPerRequest", "maxRequestBytes");
        assertThat(driver.getPropertyInfo("jdbc:libsql://h", properties))
                .allSatisfy(info -> assertThat(String.valueOf(info.value)).doesNotContain("eyJsecret"));
    }
}
