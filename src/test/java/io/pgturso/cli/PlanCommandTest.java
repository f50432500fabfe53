package io.pgturso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.app.App;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TenantFiles;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** plan prints per table what a run would do and writes nothing: no target file, no table anywhere. */
@Timeout(120)
class PlanCommandTest {
    @TempDir
    Path dir;

    @Test
    void plan_prints_each_table_and_its_problems_and_creates_nothing() throws Exception {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2), updated_at timestamptz NOT NULL)");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().update("INSERT INTO orders SELECT g, g, now() - interval '1 day' FROM generate_series(1, 3000) g");
            sync.pg().execute("ANALYZE orders");
            sync.pg().execute("CREATE TABLE customers (id int PRIMARY KEY, name text, changed_at timestamptz NOT NULL)");
            sync.pg().update("INSERT INTO customers SELECT g, 'c' || g, now() - interval '1 day' FROM generate_series(1, 40) g");
            sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=500");
            sync.table("customers", "table=customers", "cursor=changed_at");
            List<Map<String, Object>> pgTablesBefore = pgTables(sync);

            CliResult plan = sync.cli("plan");

            assertThat(plan.exitCode()).as(plan.err()).isEqualTo(App.FAILED);
            assertThat(plan.out())
                    .contains("orders: \"public\".\"orders\" -> orders, timestamp mode, pages of 500")
                    .contains("key:        [id]")
                    .contains("cursor:     updated_at (timestamp with time zone), index: yes")
                    .contains("to read:    ~3,000 rows (no checkpoint: the first pass copies the whole table)")
                    .contains("a sample page of 500 rows read in").contains("rows/s; reading them takes ~")
                    .contains("CREATE TABLE IF NOT EXISTS \"orders\"")
                    .contains("cursor:     changed_at (timestamp with time zone), index: none, add: CREATE INDEX ON \"public\".\"customers\" (\"changed_at\", \"id\")")
                    .contains("to read:    ~40 rows")
                    .contains("Horizon: the role sees every session's transactions")
                    .contains("Problems (1):").contains("customers: no index of \"public\".\"customers\" starts with changed_at")
                    .contains("Nothing was written.");
            assertThat(dir.resolve("target.db")).as("the target file is not created").doesNotExist();
            assertThat(pgTables(sync)).as("no table created in Postgres").isEqualTo(pgTablesBefore);
        }
    }

    @Test
    void plan_of_a_table_with_fan_out_names_the_tenant_databases_and_how_many_hold_its_rows() {
        TenantFiles tenants = new TenantFiles(dir.resolve("tenants"));
        try (SyncHarness sync = SyncHarness.create(dir, tenants)) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, tenant_id text, updated_at timestamptz NOT NULL)");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().update("INSERT INTO orders SELECT g, 't' || (g % 3), now() - interval '1 day' FROM generate_series(1, 30) g");
            sync.table("orders", "table=orders", "cursor=updated_at", "fan-out=tenant_id");

            CliResult first = sync.cli("plan");

            assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
            assertThat(first.out()).contains("Tenant databases: " + tenants.url())
                    .contains("orders: \"public\".\"orders\" -> orders in each tenant's database, timestamp mode")
                    .contains("fan-out:    tenant_id names each row's tenant")
                    .contains("target:     a new tenant's database gets CREATE TABLE IF NOT EXISTS \"orders\"");
            assertThat(tenants.databases()).as("plan creates no tenant database").isEmpty();
            assertThat(tenants.exists("pgturso-control")).as("nor the control database").isFalse();

            assertThat(sync.cli("once").exitCode()).isZero();
            CliResult after = sync.cli("plan");

            assertThat(after.exitCode()).as(after.out() + after.err()).isZero();
            assertThat(after.out()).contains("target:     rows in 3 tenant databases; a new tenant's database gets CREATE TABLE");
        }
    }

    @Test
    void after_a_run_plan_reads_the_checkpoints_and_the_existing_target_without_changing_it() throws Exception {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.pg().update("INSERT INTO orders SELECT g, now() - interval '1 day' FROM generate_series(1, 100) g");
            sync.table("orders", "table=orders", "cursor=updated_at");
            assertThat(sync.cli("once").exitCode()).isZero();
            sync.pg().update("INSERT INTO orders SELECT g, now() - interval '1 hour' FROM generate_series(101, 130) g");
            byte[] targetBefore = Files.readAllBytes(dir.resolve("target.db"));

            CliResult plan = sync.cli("plan");

            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
            assertThat(plan.out()).contains("to read:    ~30 rows (after the checkpoint [")
                    .contains("table orders exists").contains("Problems: none. Nothing was written.");
            assertThat(Files.readAllBytes(dir.resolve("target.db"))).as("the target is unchanged").isEqualTo(targetBefore);
        }
    }

    @Test
    void a_table_that_does_not_exist_is_a_problem_and_the_others_are_planned() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.table("ghost", "table=ordrs", "cursor=updated_at");

            CliResult plan = sync.cli("plan");

            assertThat(plan.exitCode()).isEqualTo(App.FAILED);
            assertThat(plan.out()).contains("ghost: cannot be synced (see problems)").contains("Table 'ordrs' does not exist")
                    .contains("orders: \"public\".\"orders\" -> orders").contains("no rows to read now");
            assertThat(dir.resolve("target.db")).doesNotExist();
        }
    }

    @Test
    void with_a_libsql_server_plan_creates_no_table_in_it() throws Exception {
        try (TestTarget turso = TestTarget.turso(dir); SyncHarness sync = SyncHarness.create(dir, turso)) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)");
            sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
            sync.table("orders", "table=orders", "cursor=updated_at");

            CliResult plan = sync.cli("plan");

            assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
            assertThat(plan.out()).contains("Target: Turso server http://127.0.0.1:").contains("CREATE TABLE IF NOT EXISTS \"orders\"");
            Path db = turso.server().databaseFile();
            Path wal = db.resolveSibling(db.getFileName() + "-wal");
            assertThat(Files.size(db) + (Files.exists(wal) ? Files.size(wal) : 0)).as("nothing written to the server's database").isZero();
        }
    }

    @Test
    void an_unreachable_postgres_is_named_with_the_setting_to_check() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.property("sync.source.url", "jdbc:postgresql://127.0.0.1:1/nowhere");

            CliResult plan = sync.cli("plan");

            assertThat(plan.exitCode()).isNotZero();
            assertThat(plan.err() + plan.out()).contains("127.0.0.1:1").contains("sync.source.url");
            assertThat(dir.resolve("target.db")).doesNotExist();
        }
    }

    private static List<Map<String, Object>> pgTables(SyncHarness sync) {
        return sync.pg().queryForList("SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2");
    }
}
