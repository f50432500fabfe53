package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.TursoServer;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The driver as other code meets it: through ServiceLoader, a DataSource, Spring's JdbcTemplate and camel-sql. */
class DataSourceTest {

    /** The server these tests run against (Turso's {@code tursodb}; the libSQL test server in a subclass). */
    String jdbcUrl() {
        return TursoServer.shared().jdbcUrl();
    }

    private LibsqlDataSource dataSource;

    @BeforeEach
    void table() throws SQLException {
        dataSource = new LibsqlDataSource(jdbcUrl(), "unused-by-the-local-server");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS people");
            statement.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born TEXT)");
        }
    }

    @Test
    void the_driver_registers_through_the_service_loader() throws SQLException {
        assertThat(ServiceLoader.load(Driver.class)).anyMatch(driver -> driver instanceof LibsqlDriver);
        assertThat(DriverManager.getDriver("jdbc:libsql://db-org.turso.io")).isInstanceOf(LibsqlDriver.class);
    }

    @Test
    void the_data_source_hides_its_token() {
        LibsqlDataSource secret = new LibsqlDataSource("jdbc:libsql://h?authToken=eyJsecret", "eyJother");
        assertThat(secret.toString()).doesNotContain("eyJ");
        assertThat(secret.getUrl()).doesNotContain("eyJ");
    }

    @Test
    void jdbc_template_updates_batches_and_queries() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.update("INSERT INTO people (id, name) VALUES (?, ?)", 1, "Ada")).isEqualTo(1);
        int[] counts = jdbc.batchUpdate("INSERT INTO people (id, name, born) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE "
                + "SET name = excluded.name, born = excluded.born", List.of(new Object[] {1, "Ada L.", null},
                new Object[] {2, "Alan", java.time.LocalDate.of(1912, 6, 23)}));
        assertThat(counts).hasSize(2);
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, name, born FROM people ORDER BY id");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("id", 1L).containsEntry("name", "Ada L.").containsEntry("born", null);
        assertThat(rows.get(1)).containsEntry("id", 2L).containsEntry("born", "1912-06-23");
    }

    @Test
    void camel_sql_writes_a_batch_through_the_driver() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("turso", dataSource);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:people").to("sql:INSERT INTO people (id, name) VALUES (#, #)?dataSource=#turso&batch=true");
            }
        });
        camel.start();
        try {
            ProducerTemplate producer = camel.createProducerTemplate();
            producer.sendBody("direct:people", List.of(List.of(10, "Grace"), List.of(11, "Edsger")));
        } finally {
            camel.stop();
        }
        assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT count(*) FROM people WHERE id >= 10",
                Long.class)).isEqualTo(2L);
    }
}
