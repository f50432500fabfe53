package io.pgturso.pass;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** How a table's pages are read from Postgres: one prepared statement per connection, run again for every page. */
class PageStatementTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void the_pages_of_a_pass_run_one_prepared_statement_instead_of_planning_each_page_anew() {
        TestTarget target = TestTarget.file(dir);
        try (SyncHarness sync = SyncHarness.create(dir, target)) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text, price float8, updated_at timestamptz NOT NULL)");
            pg.execute("INSERT INTO items SELECT g, 'item ' || g, g * 0.25, '2024-01-01'::timestamptz + g * interval '1 second' "
                    + "FROM generate_series(1, 1000) g");
            // one Postgres session for the whole pass, so that its prepared statements can be read back afterwards
            sync.property("sync.source.pool-size", "1");
            sync.property("sync.batch-size", "50");
            sync.table("items", "table=items", "cursor=updated_at");
            sync.start();
            assertThat(sync.runOnce("items")).isTrue();

            DataSource source = sync.app().camel().getRegistry().lookupByNameAndType("source", DataSource.class);
            Long runs = new JdbcTemplate(source).queryForObject("SELECT max(generic_plans + custom_plans) "
                    + "FROM pg_prepared_statements WHERE statement LIKE 'SELECT %FROM \"public\".\"items\"%'", Long.class);
            // 20 pages and one to find none left; the driver prepares a statement on the server from its fifth run on
            assertThat(runs).as("runs of the page query's prepared statement").isNotNull().isGreaterThanOrEqualTo(15L);
            assertThat(target.jdbc().queryForObject("SELECT count(*) FROM items", Long.class)).isEqualTo(1000L);
        } finally {
            target.close();
        }
    }
}
