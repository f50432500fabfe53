package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Commands that act through the beans only start without making routes, yet see the same tables and checks. */
@Timeout(120)
class StartWithoutRoutesTest {
    @TempDir
    Path dir;

    @Test
    void the_tables_and_beans_are_there_but_no_route_is_made_and_the_pools_close() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL)");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.writeConfig();

            HikariDataSource source;
            HikariDataSource target;
            try (SyncApplication app = SyncApplication.startWithoutRoutes(dir, java.util.Map.of(), false)) {
                assertThat(app.camel().getRoutes()).isEmpty();
                assertThat(app.tables()).extracting(t -> t.routeId()).containsExactly("orders");
                source = app.camel().getRegistry().lookupByNameAndType("source", HikariDataSource.class);
                target = app.camel().getRegistry().lookupByNameAndType("target", HikariDataSource.class);
                assertThat(source.isClosed()).isFalse();
                // the start-up check made the sync's own tables in the target
                assertThat(sync.target().queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'pgturso_checkpoints'",
                        Integer.class)).isOne();
            }
            assertThat(source.isClosed()).isTrue();
            assertThat(target.isClosed()).isTrue();
        }
    }

    @Test
    void status_and_verify_still_refuse_what_the_start_up_check_refuses() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.table("orders", "table=ordrs", "cursor=updated_at");

            for (String command : new String[] {"status", "verify", "reset-checkpoint"}) {
                CliResult result = sync.cli(command, "--table", "orders");
                assertThat(result.exitCode()).as(command).isEqualTo(App.BAD_CONFIG);
                assertThat(result.err()).as(command).contains("Table 'ordrs' does not exist in Postgres");
            }
        }
    }

    @Test
    void a_one_shot_start_keeps_its_meters_in_a_plain_registry_not_prometheus() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL)");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.writeConfig();

            try (SyncApplication app = SyncApplication.start(dir, java.util.Map.of(), false)) {
                assertThat(app.camel().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class))
                        .isInstanceOf(SimpleMeterRegistry.class);
            }
        }
    }
}
