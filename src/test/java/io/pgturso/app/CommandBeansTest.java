package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.config.ConnectionSettings;
import io.pgturso.source.TableConfig;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The commands that run no pass read the configuration without Camel, and see exactly the tables Camel's model gives run. */
@Timeout(120)
class CommandBeansTest {
    @TempDir
    Path dir;
    SyncHarness sync;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
    }

    @AfterEach
    void tearDown() {
        sync.close();
        System.clearProperty("pgturso.test.pages");
    }

    /** The tables as Camel's model gives them (run, once) and as the commands read them without Camel. */
    private void assertSameTablesBothWays() {
        sync.writeConfig();
        List<TableConfig> camel;
        String camelSettings;
        try (SyncApplication app = SyncApplication.startForPlan(dir, Map.of())) {
            camel = app.tables();
            camelSettings = app.camel().getRegistry().lookupByNameAndType("settings", ConnectionSettings.class).toString();
        }
        try (CommandBeans beans = CommandBeans.withoutCamel(dir, Map.of(), true)) {
            assertThat(beans.startedCamel()).isFalse();
            assertThat(beans.tables().configs()).isNotEmpty().isEqualTo(camel);
            assertThat(beans.registry().lookupByNameAndType("settings", ConnectionSettings.class).toString())
                    .isEqualTo(camelSettings);
        }
    }

    @Test
    void the_shipped_example_tables_are_read_alike_without_camel() throws IOException {
        for (String line : Files.readAllLines(Path.of(System.getProperty("project.dir", ".")).resolve("examples/demo-tables.properties"))) {
            int eq = line.indexOf('=');
            if (line.startsWith("camel.route-template[") && eq > 0) {
                sync.property(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        assertSameTablesBothWays();
    }

    @Test
    void placeholders_defaults_kebab_case_names_and_fan_out_pages_are_read_alike_without_camel() {
        System.setProperty("pgturso.test.pages", "321");
        sync.property("sync.batch-size", "")
                .property("sync.fan-out.batch-size", "77")
                .property("orders.table", "public.orders")
                .table("orders", "table={{orders.table}}", "cursor=updated_at", "target-table=orders_copy",
                        "soft-delete=deleted_at", "where=note <> '{{home:none}}'")
                .table("lines", "table=lines", "mode=full", "batchSize={{pgturso.test.pages}}", "exclude=a, b",
                        "rename=a:b", "schedule={{sync.schedule}}")
                .table("tenants", "table=tenant_rows", "cursor=id", "mode=incrementing", "fan-out=tenant_id",
                        "columns=id,tenant_id")
                .table("hooked", "table=hooked", "cursor=at", "transform=direct:row-hook-x", "add-columns=x:TEXT",
                        "expressions=y: 1 + 1", "key=id");
        assertSameTablesBothWays();
    }

    @Test
    void a_template_default_an_engineer_edited_is_read_alike_without_camel() throws IOException {
        Path template = dir.resolve("routes/table-sync.camel.yaml");
        String text = Files.readString(template);
        String edited = text.replace("defaultValue: \"{{sync.batch-size:5000}}\"", "defaultValue: \"{{pages.default:1234}}\"")
                .replace("defaultValue: timestamp", "defaultValue: incrementing");
        assertThat(edited).isNotEqualTo(text);
        Files.writeString(template, edited);
        sync.table("orders", "table=orders", "cursor=id").table("lines", "table=lines", "cursor=id", "batch-size=9");
        assertSameTablesBothWays();
        try (CommandBeans beans = CommandBeans.withoutCamel(dir, Map.of(), true)) {
            assertThat(beans.tables().configs()).extracting(TableConfig::batchSize).containsExactly(1234, 9);
        }
    }

    @Test
    void an_unknown_camel_setting_is_left_to_camel_which_sees_the_same_tables() {
        sync.table("orders", "table=orders", "cursor=updated_at").property("camel.main.tracing", "false");
        sync.writeConfig();
        try (CommandBeans beans = CommandBeans.open(dir, Map.of(), true, false)) {
            assertThat(beans.startedCamel()).isTrue();
            assertThat(beans.tables().configs()).extracting(TableConfig::routeId).containsExactly("orders");
        }
    }

    @Test
    void beans_declared_in_a_route_file_are_left_to_camel() throws IOException {
        sync.table("orders", "table=orders", "cursor=updated_at");
        sync.writeConfig();
        Files.writeString(dir.resolve("routes/extra.camel.yaml"), "- beans:\n    - name: x\n      type: java.lang.StringBuilder\n");
        try (CommandBeans beans = CommandBeans.open(dir, Map.of(), true, false)) {
            assertThat(beans.startedCamel()).isTrue();
            assertThat(beans.tables().configs()).extracting(TableConfig::routeId).containsExactly("orders");
        }
    }

    @Test
    void a_row_hook_without_its_route_is_refused_alike_without_camel() {
        sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL)");
        sync.table("orders", "table=orders", "cursor=updated_at", "transform=direct:no-such-hook");

        SyncHarness.CliResult result = sync.cli("status");

        assertThat(result.exitCode()).isEqualTo(App.BAD_CONFIG);
        assertThat(result.err()).contains("transform 'direct:no-such-hook' names no route");
    }
}
