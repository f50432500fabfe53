package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A tenant file's statements kept prepared: reused from loan to loan, never lent twice at once, closed with the file. */
@Timeout(60)
class PreparedStatementsTest {
    private static final String INSERT = "INSERT INTO t (id, v) VALUES (?, ?)";

    @TempDir
    Path dir;

    @Test
    void a_statement_given_back_is_lent_again_cleared_and_a_nested_loan_gets_its_own() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            }
            PreparedStatements kept = new PreparedStatements();
            PreparedStatement first = kept.prepare(c, INSERT);
            first.setLong(1, 1);
            first.setString(2, "a");
            first.addBatch();
            PreparedStatement nested = kept.prepare(c, INSERT);
            nested.setLong(1, 2);
            nested.setString(2, "b");
            nested.executeUpdate();
            nested.close();
            first.executeBatch();
            first.close();
            assertThat(first.isClosed()).as("the loan is over").isTrue();

            PreparedStatement again = kept.prepare(c, INSERT);
            again.setLong(1, 3);
            again.setString(2, "c");
            again.addBatch();
            again.executeBatch();
            again.close();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT group_concat(v, '') FROM (SELECT v FROM t ORDER BY id)")) {
                rs.next();
                assertThat(rs.getString(1)).as("each row written once: the batch given back was cleared").isEqualTo("abc");
            }
            kept.close();
            PreparedStatement afterClose = kept.prepare(c, "SELECT count(*) FROM t");
            try (ResultSet rs = afterClose.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
            afterClose.close();
        }
    }
}
