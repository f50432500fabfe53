package io.pgturso.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.config.TargetUrl;
import io.pgturso.testing.LibsqlTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The target pool: the token reaches the server as the pool's password, a new file is its owner's only. */
@Timeout(30)
class TargetDataSourceTest {

    @Test
    void the_token_reaches_the_server_and_is_not_a_data_source_property() throws Exception {
        try (LibsqlTestServer server = LibsqlTestServer.start().token("s3cret");
             HikariDataSource pool = TargetKind.of(TargetUrl.parse(server.url(), Path.of("."))).pool("s3cret", 1, null);
             Connection connection = pool.getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(pool.getDataSourceProperties()).doesNotContainKey("authToken");
            assertThat(pool.getDataSourceProperties().toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void a_new_target_file_is_readable_by_its_owner_only(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/target.db");
        try (HikariDataSource pool = TargetKind.of(TargetUrl.parse("file:" + file, dir)).pool(null, 1, null);
             Connection connection = pool.getConnection()) {
            connection.createStatement().execute("CREATE TABLE t (x INTEGER)");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
