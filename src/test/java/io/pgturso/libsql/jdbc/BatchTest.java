package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgturso.testing.TursoServer;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** executeBatch: one transaction per request, exact failure reports, and multi-row rewriting of INSERT batches. */
class BatchTest {

    /** The server these tests run against (Turso's {@code tursodb}; the libSQL test server in a subclass). */
    String jdbcUrl() {
        return TursoServer.shared().jdbcUrl();
    }

    private static final String UPSERT = "INSERT INTO items (id, name, price) VALUES (?, ?, ?) "
            + "ON CONFLICT(id) DO UPDATE SET name = excluded.name, price = excluded.price";

    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = connect(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS items");
            statement.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price REAL)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private Connection connect(boolean rewrite) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("rewriteBatchedInserts", Boolean.toString(rewrite));
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    private long count(String where) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM items WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void add(PreparedStatement statement, long id, String name, Double price) throws SQLException {
        statement.setLong(1, id);
        statement.setString(2, name);
        if (price == null) {
            statement.setNull(3, java.sql.Types.DOUBLE);
        } else {
            statement.setDouble(3, price);
        }
        statement.addBatch();
    }

    @Test
    void executeBatch_inserts_all_rows_and_counts_each() throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO items (id, name, price) VALUES (?, ?, ?)")) {
            for (int i = 1; i <= 2500; i++) {
                add(insert, i, "item " + i, i * 0.5);
            }
            int[] counts = insert.executeBatch();
            assertThat(counts).hasSize(2500).containsOnly(1);
        }
        assertThat(count("1 = 1")).isEqualTo(2500);
        assertThat(count("id = 2500 AND name = 'item 2500' AND price = 1250.0")).isEqualTo(1);
    }

    @Test
    void executeBatch_reports_the_failed_rows() throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO items (id, name, price) VALUES (?, ?, ?)")) {
            for (int i = 1; i <= 10; i++) {
                // Row 3 repeats row 1's name, row 7 has no name: both fail, the rest would succeed.
                add(insert, i, i == 3 ? "item 1" : i == 7 ? null : "item " + i, 1.0);
            }
            BatchUpdateException failure = catchThrowableOfType(BatchUpdateException.class, insert::executeBatch);
            assertThat(failure.getUpdateCounts()).containsExactly(1, 1, Statement.EXECUTE_FAILED, 1, 1, 1,
                    Statement.EXECUTE_FAILED, 1, 1, 1);
            assertThat(failure.getSQLState()).startsWith("23");
            assertThat(failure.getCause()).isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThat((Throwable) failure.getNextException()).hasMessageContaining("#2");
            assertThat((Throwable) failure.getNextException().getNextException()).hasMessageContaining("#6");
        }
        assertThat(count("1 = 1")).as("nothing of a failed batch is committed").isZero();
    }

    @Test
    void rewritten_multi_row_batches_report_failures_and_commit_nothing() throws SQLException {
        try (Connection rewriting = connect(true);
             PreparedStatement insert = rewriting.prepareStatement(
                     "INSERT INTO items (id, name, price) VALUES (?, ?, ?)")) {
            for (int i = 0; i < 1200; i++) {
                // Rows 10 and 1100 collide with earlier rows; they sit in different multi-row statements.
                String name = i == 10 ? "item 5" : i == 1100 ? "item 600" : "item " + i;
                add(insert, i, name, 2.0);
            }
            BatchUpdateException failure = catchThrowableOfType(BatchUpdateException.class, insert::executeBatch);
            int[] counts = failure.getUpdateCounts();
            assertThat(counts).hasSize(1200);
            for (int i = 0; i < counts.length; i++) {
                assertThat(counts[i] == Statement.EXECUTE_FAILED).as("row %d failed", i).isEqualTo(i == 10 || i == 1100);
            }
            assertThat(failure.getCause()).isInstanceOf(SQLIntegrityConstraintViolationException.class);
        }
        assertThat(count("1 = 1")).isZero();
    }

    @Test
    void a_syntax_error_in_a_rewritten_batch_fails_every_row() throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO items (id, name, nosuchcolumn) VALUES (?, ?, ?)")) {
            for (int i = 0; i < 5; i++) {
                add(insert, i, "item " + i, 1.0);
            }
            BatchUpdateException failure = catchThrowableOfType(BatchUpdateException.class, insert::executeBatch);
            assertThat(failure.getUpdateCounts()).hasSize(5).containsOnly(Statement.EXECUTE_FAILED);
            assertThat(failure.getSQLState()).startsWith("42");
        }
    }

    @Test
    void upsert_batches_keep_the_last_row_of_a_repeated_key() throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            add(upsert, 1, "first", 1.0);
            add(upsert, 2, "other", 2.0);
            add(upsert, 1, "second", 3.0);
            assertThat(upsert.executeBatch()).hasSize(3).doesNotContain(Statement.EXECUTE_FAILED);
            add(upsert, 1, "third", 4.0);
            assertThat(upsert.executeBatch()).containsExactly(1);
        }
        assertThat(count("id = 1 AND name = 'third' AND price = 4.0")).isEqualTo(1);
        assertThat(count("1 = 1")).isEqualTo(2);
    }

    @Test
    void upsert_with_where_guard_skips_older_rows() throws SQLException {
        String guarded = UPSERT + " WHERE excluded.price >= items.price";
        try (PreparedStatement upsert = connection.prepareStatement(guarded)) {
            add(upsert, 1, "new", 5.0);
            upsert.executeBatch();
            add(upsert, 1, "old", 1.0);
            add(upsert, 2, "two", 1.0);
            int[] counts = upsert.executeBatch();
            assertThat(counts).containsOnly(Statement.SUCCESS_NO_INFO);
        }
        assertThat(count("id = 1 AND name = 'new'")).isEqualTo(1);
        assertThat(count("id = 2")).isEqualTo(1);
    }

    @Test
    void insert_or_ignore_batches_skip_duplicates() throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT OR IGNORE INTO items (id, name, price) VALUES (?, ?, ?)")) {
            add(insert, 1, "a", 1.0);
            add(insert, 1, "b", 1.0);
            add(insert, 2, "c", 1.0);
            assertThat(insert.executeBatch()).doesNotContain(Statement.EXECUTE_FAILED);
        }
        assertThat(count("1 = 1")).isEqualTo(2);
    }

    @Test
    void inlined_literals_store_exactly_what_arguments_store() throws SQLException {
        Object[][] rows = {
            {"O'Brien", 0L, "1.10"}, {"''", -1L, "007"}, {"a -- b /* c */ ? ; d", Long.MIN_VALUE, "x'y"},
            {"", Long.MAX_VALUE, null}, {"nul \0 inside", -52L, "-3"}, {"\u00e9\u20ac\ud83d\ude00 '\n'", 7L, "2e3"},
            {null, null, "12"}, {"'; DROP TABLE vals_args; --", 42L, "0.5"},
        };
        for (String table : new String[] {"vals_inline", "vals_args"}) {
            Properties properties = new Properties();
            properties.setProperty("inlineLiterals", Boolean.toString(table.equals("vals_inline")));
            try (Connection c = DriverManager.getConnection(jdbcUrl(), properties); Statement ddl = c.createStatement()) {
                ddl.execute("DROP TABLE IF EXISTS " + table);
                ddl.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, t TEXT, i INTEGER, n NUMERIC, d INTEGER, r REAL)");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                        + " (id, t, i, n, d, r) VALUES (?, ?, ?, ?, ?-?, ?)")) {
                    for (int k = 0; k < rows.length; k++) {
                        insert.setLong(1, k);
                        insert.setString(2, (String) rows[k][0]);
                        insert.setObject(3, rows[k][1]);
                        insert.setString(4, (String) rows[k][2]);
                        insert.setLong(5, 10);
                        insert.setLong(6, rows[k][1] == null || (Long) rows[k][1] == Long.MIN_VALUE ? -5 : (Long) rows[k][1]);
                        insert.setDouble(7, 0.1 * k);
                        insert.addBatch();
                    }
                    assertThat(insert.executeBatch()).hasSize(rows.length);
                }
            }
        }
        String columns = "id, typeof(t), hex(t), typeof(i), i, typeof(n), n, d, typeof(r), r";
        assertThat(rows("SELECT " + columns + " FROM vals_inline ORDER BY id"))
                .hasSize(rows.length)
                .isEqualTo(rows("SELECT " + columns + " FROM vals_args ORDER BY id"));
        assertThat(count("1")).isZero();
    }

    @Test
    void infinite_doubles_are_stored_as_real_infinity_in_single_statements_and_batches() throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("DROP TABLE IF EXISTS reals");
            ddl.execute("CREATE TABLE reals (id INTEGER PRIMARY KEY, r REAL)");
        }
        String insert = "INSERT INTO reals (id, r) VALUES (?, ?)";
        try (PreparedStatement single = connection.prepareStatement(insert)) {
            single.setLong(1, 1);
            single.setDouble(2, Double.POSITIVE_INFINITY);
            assertThat(single.executeUpdate()).isEqualTo(1);
        }
        for (boolean inline : new boolean[] {true, false}) {
            Properties properties = new Properties();
            properties.setProperty("inlineLiterals", Boolean.toString(inline));
            try (Connection c = DriverManager.getConnection(jdbcUrl(), properties);
                 PreparedStatement batch = c.prepareStatement(insert)) {
                long base = inline ? 10 : 20;
                for (double d : new double[] {Double.NEGATIVE_INFINITY, 1.5, Double.POSITIVE_INFINITY}) {
                    batch.setLong(1, base++);
                    batch.setDouble(2, d);
                    batch.addBatch();
                }
                assertThat(batch.executeBatch()).hasSize(3);
            }
        }
        // read back as SQL values: the server's JSON loses an infinity's sign, SQL comparisons do not
        assertThat(rows("SELECT id, typeof(r), r > 1e308, r < -1e308 FROM reals ORDER BY id")).containsExactly(
                java.util.List.of(1L, "real", 1L, 0L),
                java.util.List.of(10L, "real", 0L, 1L), java.util.List.of(11L, "real", 0L, 0L),
                java.util.List.of(12L, "real", 1L, 0L),
                java.util.List.of(20L, "real", 0L, 1L), java.util.List.of(21L, "real", 0L, 0L),
                java.util.List.of(22L, "real", 1L, 0L));
    }

    private java.util.List<java.util.List<Object>> rows(String query) throws SQLException {
        java.util.List<java.util.List<Object>> all = new java.util.ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                java.util.List<Object> row = new java.util.ArrayList<>();
                for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                    row.add(rows.getObject(c));
                }
                all.add(row);
            }
        }
        return all;
    }

    @Test
    void batches_without_rewriting_report_real_counts() throws SQLException {
        try (Connection plain = connect(false); Statement statement = plain.createStatement()) {
            statement.addBatch("INSERT INTO items (id, name) VALUES (1, 'a'), (2, 'b')");
            statement.addBatch("UPDATE items SET price = 9 WHERE id IN (1, 2)");
            statement.addBatch("DELETE FROM items WHERE id = 99");
            assertThat(statement.executeBatch()).containsExactly(2, 2, 0);
        }
    }

    @Test
    void statement_batches_report_every_failed_statement() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.addBatch("INSERT INTO items (id, name) VALUES (1, 'a')");
            statement.addBatch("INSERT INTO items (id, name) VALUES (1, 'b')");
            statement.addBatch("INSERT INTO nosuchtable VALUES (1)");
            statement.addBatch("INSERT INTO items (id, name) VALUES (2, 'c')");
            BatchUpdateException failure = catchThrowableOfType(BatchUpdateException.class, statement::executeBatch);
            assertThat(failure.getUpdateCounts()).containsExactly(1, Statement.EXECUTE_FAILED,
                    Statement.EXECUTE_FAILED, 1);
        }
        assertThat(count("1 = 1")).isZero();
    }

    @Test
    void an_empty_batch_sends_nothing() throws SQLException {
        LibsqlConnection libsql = connection.unwrap(LibsqlConnection.class);
        long before = libsql.requestsSent();
        try (PreparedStatement insert = connection.prepareStatement(UPSERT)) {
            assertThat(insert.executeBatch()).isEmpty();
        }
        assertThat(libsql.requestsSent()).isEqualTo(before);
    }

    @Test
    void a_query_in_a_batch_is_refused() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.addBatch("SELECT 1");
            Throwable refused = catchThrowableOfType(BatchUpdateException.class, statement::executeBatch);
            assertThat(refused).hasMessageContaining("writes only");
        }
    }
}
