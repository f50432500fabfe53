package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.TursoServer;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DatabaseMetaData and ResultSetMetaData as tools (Spring JdbcTemplate, camel-sql) read them. */
class MetadataTest {

    /** The server these tests run against (Turso's {@code tursodb}; the libSQL test server in a subclass). */
    String jdbcUrl() {
        return TursoServer.shared().jdbcUrl();
    }

    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection(jdbcUrl());
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS meta_orders");
            statement.execute("CREATE TABLE meta_orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, "
                    + "total REAL, paid BOOLEAN, placed_at TIMESTAMP, photo BLOB, amount DECIMAL(10,2))");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void the_database_and_driver_describe_themselves() throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        assertThat(meta.getDatabaseProductName()).isEqualTo("libSQL");
        assertThat(meta.getDatabaseProductVersion()).matches("\\d+\\.\\d+.*");
        assertThat(meta.getDatabaseMajorVersion()).isEqualTo(3);
        assertThat(meta.getDriverName()).contains("libSQL");
        assertThat(meta.getURL()).isEqualTo(jdbcUrl());
        assertThat(meta.getUserName()).isEmpty();
        assertThat(meta.supportsBatchUpdates()).isTrue();
        assertThat(meta.supportsGetGeneratedKeys()).isTrue();
        assertThat(meta.supportsTransactions()).isTrue();
        assertThat(meta.supportsSavepoints()).isFalse();
        assertThat(meta.supportsResultSetType(ResultSet.TYPE_FORWARD_ONLY)).isTrue();
        assertThat(meta.supportsResultSetType(ResultSet.TYPE_SCROLL_INSENSITIVE)).isFalse();
        assertThat(meta.getIdentifierQuoteString()).isEqualTo("\"");
        assertThat(meta.getConnection()).isSameAs(connection);
    }

    @Test
    void tables_are_listed_without_sqlite_internals() throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet tables = connection.getMetaData().getTables(null, null, "meta%", new String[] {"TABLE"})) {
            while (tables.next()) {
                names.add(tables.getString("TABLE_NAME") + ":" + tables.getString("TABLE_TYPE"));
            }
        }
        assertThat(names).containsExactly("meta_orders:TABLE");
    }

    @Test
    void columns_come_with_jdbc_types_and_nullability() throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rows = connection.getMetaData().getColumns(null, null, "meta_orders", "%")) {
            while (rows.next()) {
                columns.add(rows.getString("COLUMN_NAME") + " " + rows.getInt("DATA_TYPE") + " "
                        + rows.getString("IS_NULLABLE") + " " + rows.getInt("ORDINAL_POSITION"));
            }
        }
        assertThat(columns).containsExactly("id " + Types.BIGINT + " YES 1", "customer " + Types.VARCHAR + " NO 2",
                "total " + Types.DOUBLE + " YES 3", "paid " + Types.BOOLEAN + " YES 4",
                "placed_at " + Types.TIMESTAMP + " YES 5", "photo " + Types.BLOB + " YES 6",
                "amount " + Types.DECIMAL + " YES 7");
    }

    @Test
    void primary_keys_are_listed() throws SQLException {
        try (ResultSet keys = connection.getMetaData().getPrimaryKeys(null, null, "meta_orders")) {
            assertThat(keys.next()).isTrue();
            assertThat(keys.getString("COLUMN_NAME")).isEqualTo("id");
            assertThat(keys.getInt("KEY_SEQ")).isEqualTo(1);
            assertThat(keys.next()).isFalse();
        }
    }

    @Test
    void result_columns_have_names_and_declared_types() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO meta_orders (id, customer, total) VALUES (1, 'x', 2.5)");
            try (ResultSet rows = statement.executeQuery("SELECT id, customer AS who, total, 1 + 1 AS two "
                    + "FROM meta_orders")) {
                ResultSetMetaData meta = rows.getMetaData();
                assertThat(meta.getColumnCount()).isEqualTo(4);
                assertThat(meta.getColumnLabel(2)).isEqualTo("who");
                assertThat(meta.getColumnType(1)).isEqualTo(Types.BIGINT);
                assertThat(meta.getColumnTypeName(2)).isEqualTo("TEXT");
                assertThat(meta.getColumnType(3)).isEqualTo(Types.DOUBLE);
                assertThat(meta.getColumnType(4)).as("an expression takes its value's type").isEqualTo(Types.BIGINT);
                assertThat(meta.getColumnClassName(1)).isEqualTo(Long.class.getName());
            }
        }
    }
}
