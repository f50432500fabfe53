package io.pgturso.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionSettingsTest {
    @Test
    void database_url_in_the_postgres_form_becomes_jdbc_url_and_credentials() {
        PostgresUrl url = PostgresUrl.parse("postgres://app:s%3Acret@db.example:6543/shop?sslmode=require", null, null);

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/shop?sslmode=require");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("s:cret");
        assertThat(url.toString()).doesNotContain("s:cret");
    }

    @Test
    void jdbc_postgres_urls_are_kept_and_other_schemes_are_refused() {
        assertThat(PostgresUrl.parse("jdbc:postgresql://h/db", "u", "p").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://u:topsecret@h/db", null, null))
                .hasMessageContaining("postgres://").hasMessageNotContaining("topsecret");
    }

    @Test
    void target_urls_in_turso_forms_select_the_driver() {
        Path base = Path.of("/srv/sync");
        assertThat(TargetUrl.parse("file:data/x.db", base).jdbcUrl()).isEqualTo("jdbc:sqlite:/srv/sync/data/x.db");
        assertThat(TargetUrl.parse("file:data/x.db", base).isFile()).isTrue();
        assertThat(TargetUrl.parse("libsql://db-org.turso.io", base).jdbcUrl()).isEqualTo("jdbc:libsql:libsql://db-org.turso.io");
        assertThat(TargetUrl.parse("http://127.0.0.1:8080", base).isFile()).isFalse();
        assertThatThrownBy(() -> TargetUrl.parse("ftp://x", base)).hasMessageContaining("libsql://");
        assertThatThrownBy(() -> TargetUrl.parse("https://", base)).hasMessageContaining("no host");
    }

    @Test
    void environment_variables_override_the_properties_file() {
        Map<String, String> props = Map.of("sync.source.url", "jdbc:postgresql://props/db", "sync.target.url", "file:a.db");
        ConnectionSettings s = ConnectionSettings.read(k -> Optional.ofNullable(props.get(k)),
                Map.of("DATABASE_URL", "postgres://u:pw@env-host/db", "TURSO_DATABASE_URL", "libsql://env.turso.io",
                        "TURSO_AUTH_TOKEN", "tok"), Path.of("."));

        assertThat(s.source().jdbcUrl()).isEqualTo("jdbc:postgresql://env-host/db");
        assertThat(s.target().url()).isEqualTo("libsql://env.turso.io");
        assertThat(s.targetAuthToken()).isEqualTo("tok");
        assertThat(s.toString()).doesNotContain("pw").doesNotContain("tok");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Pw1/Tail", "Pw1#Tail", "Pw1?Tail", "Pw1@Tail", "Pw1 Tail", "4711/Tail"})
    void a_malformed_postgres_url_is_refused_without_showing_its_password(String password) {
        for (String url : new String[] {"postgres://app:" + password + "@/db", "postgres://app:" + password + "@db.example:5432/shop",
                "mysql://app:" + password + "@db.example/shop"}) {
            assertThatThrownBy(() -> PostgresUrl.parse(url, null, null)).as(url)
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Pw1").doesNotContain("4711").doesNotContain("Tail"));
        }
    }

    @Test
    void a_password_with_url_characters_is_refused_with_how_to_write_it() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgres://app:S3cr/et@db.example/shop", null, null))
                .hasMessageContaining("percent-encode").hasMessageContaining("%2F").hasMessageNotContaining("S3cr");
        assertThat(PostgresUrl.parse("postgres://app:S3cr%2Fet%23%3F%40@db.example/shop", null, null).password())
                .isEqualTo("S3cr/et#?@");
        assertThat(PostgresUrl.parse("postgres://app:a+b@db.example/shop", null, null).password()).isEqualTo("a+b");
    }

    @Test
    void redaction_hides_the_user_info_of_urls_whatever_the_password_holds() {
        assertThat(Redaction.url("postgres://app:S3cr/et@/db")).doesNotContain("S3cr").doesNotContain("et@");
        assertThat(Redaction.url("postgres://app:a@b#c?d@host/db")).isEqualTo("postgres://app:***@host/db");
        assertThat(Redaction.text("Cannot reach libsql://u:p/q@h and postgres://v:w?x@k/db now"))
                .isEqualTo("Cannot reach libsql://u:***@h and postgres://v:***@k/db now");
        assertThat(Redaction.url("https://h/x?user=a")).isEqualTo("https://h/x?user=a");
    }

    @Test
    void redaction_hides_passwords_and_tokens_in_urls() {
        assertThat(Redaction.url("postgres://u:hunter2@h/db")).isEqualTo("postgres://u:***@h/db");
        assertThat(Redaction.url("https://h/x?authToken=abc&x=1")).isEqualTo("https://h/x?authToken=***&x=1");
    }
}
