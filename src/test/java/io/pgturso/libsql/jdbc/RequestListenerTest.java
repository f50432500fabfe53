package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.libsql.hrana.RequestListener;
import io.pgturso.testing.LibsqlTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code requestListener} connection property: the listener hears of requests, retries and failures by kind. */
@Timeout(60)
class RequestListenerTest {

    @TempDir
    Path dir;

    /** Records what it hears as "event kind" lines. */
    static final class Recorder implements RequestListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void requestSent(String host) {
            events.add("sent");
        }

        @Override
        public void requestFailed(String host, String kind) {
            events.add("failed " + kind);
        }

        @Override
        public void requestRetried(String host, String kind) {
            events.add("retried " + kind);
        }

        @Override
        public void statementFailed(String host, String kind) {
            events.add("statement " + kind);
        }
    }

    @Test
    void listener_hears_requests_a_retried_429_and_a_constraint_failure() throws SQLException {
        Recorder recorder = new Recorder();
        String name = RequestListeners.register(recorder);
        try (LibsqlTestServer server = LibsqlTestServer.start(dir.resolve("db"))) {
            Properties properties = new Properties();
            properties.setProperty("requestListener", name);
            try (Connection connection = new LibsqlDriver().connect(server.jdbcUrl(), properties);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
                server.inject(LibsqlTestServer.Fault.statusBefore(429));
                statement.execute("INSERT INTO t VALUES (1)");
                assertThatThrownBy(() -> statement.execute("INSERT INTO t VALUES (1)"))
                        .isInstanceOf(SQLIntegrityConstraintViolationException.class);
            }
        } finally {
            RequestListeners.unregister(name);
        }
        assertThat(recorder.events).contains("failed http_429", "retried http_429", "statement constraint");
        assertThat(recorder.events.stream().filter("sent"::equals).count()).isGreaterThanOrEqualTo(3);
        assertThat(recorder.events.indexOf("retried http_429")).isGreaterThan(recorder.events.indexOf("failed http_429"));
    }

    @Test
    void an_unknown_listener_name_is_refused_with_the_property_named() {
        Properties properties = new Properties();
        properties.setProperty("requestListener", "nobody");
        assertThatThrownBy(() -> new LibsqlDriver().connect("jdbc:libsql://127.0.0.1:1", properties))
                .isInstanceOf(SQLException.class).hasMessageContaining("requestListener").hasMessageContaining("nobody");
    }
}
