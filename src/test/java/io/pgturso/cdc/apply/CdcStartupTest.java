package io.pgturso.cdc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.app.SyncApplication;
import io.pgturso.config.ConfigException;
import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestPostgres;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refuses what cannot stream, each problem in one line with its fix, before anything is written. */
@Timeout(180)
class CdcStartupTest {
    @TempDir
    Path dir;

    @Test
    void a_server_without_logical_decoding_is_refused_naming_wal_level() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), TestPostgres.get())) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY)");
            CdcTesting.streaming(sync, CdcTesting.uniqueSlot()).table("orders", "table=orders", "mode=cdc");

            assertThatThrownBy(() -> sync.start(true)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("wal_level is 'replica', streaming needs 'logical': run ALTER SYSTEM SET wal_level = logical");
        }
    }

    @Test
    void a_table_without_key_or_replica_identity_is_refused_with_the_fix() {
        String slot = CdcTesting.uniqueSlot();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres())) {
            sync.pg().execute("CREATE TABLE events (id int NOT NULL, body text)");
            CdcTesting.streaming(sync, slot).table("events", "table=events", "mode=cdc", "key=id");

            assertThatThrownBy(() -> sync.start(true)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("has neither a primary key nor REPLICA IDENTITY FULL")
                    .hasMessageContaining("ALTER TABLE public.events REPLICA IDENTITY FULL");
            assertThat(sync.pg().queryForObject("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?", Long.class, slot))
                    .as("nothing created").isZero();
        }
    }

    @Test
    void a_role_that_may_not_replicate_is_refused_naming_the_grant() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres())) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY)");
            String role = "reader_" + ProcessHandle.current().pid();
            sync.pg().execute("DROP ROLE IF EXISTS " + role);
            sync.pg().execute("CREATE ROLE " + role + " LOGIN PASSWORD 'secret'");
            sync.pg().execute("GRANT SELECT ON orders TO " + role);
            CdcTesting.streaming(sync, CdcTesting.uniqueSlot()).table("orders", "table=orders", "mode=cdc")
                    .property("sync.source.user", role).property("sync.source.password", "secret");

            assertThatThrownBy(() -> sync.start(true)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("ALTER ROLE " + role + " WITH REPLICATION");
        }
    }

    @Test
    void a_fan_out_expression_is_refused_for_cdc_naming_a_column_or_the_modes_that_take_one() {
        try (SyncHarness sync = SyncHarness.create(dir, new io.pgturso.testing.TenantFiles(dir.resolve("tenants")),
                LogicalPostgres.get().asTestPostgres())) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, tenant_id text)");
            CdcTesting.streaming(sync, CdcTesting.uniqueSlot()).table("orders", "table=orders", "mode=cdc",
                    "fan-out=lower(tenant_id)");

            assertThatThrownBy(() -> sync.start(true)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("mode cdc takes no fan-out expression 'lower(tenant_id)'")
                    .hasMessageContaining("name a column in camel.route-template[orders].fan-out")
                    .hasMessageContaining("use mode = timestamp (with a cursor) or incrementing");
        }
    }

    @Test
    void a_fan_out_column_is_taken_for_cdc_plain_or_quoted() {
        assertThat(io.pgturso.source.TableConfig.fanOutColumn("tenant_id")).isEqualTo("tenant_id");
        assertThat(io.pgturso.source.TableConfig.fanOutColumn(" TenantId ")).isEqualTo("tenantid");
        assertThat(io.pgturso.source.TableConfig.fanOutColumn("\"Tenant \"\"Id\"")).isEqualTo("Tenant \"Id");
        assertThat(io.pgturso.source.TableConfig.fanOutColumn("tenant_id || 'x'")).isNull();
        assertThat(io.pgturso.source.TableConfig.fanOutColumn("\"a\" || \"b\"")).isNull();
    }

    @Test
    void where_and_expressions_are_refused_for_cdc_naming_what_works_instead() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres())) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, tenant int)");
            CdcTesting.streaming(sync, CdcTesting.uniqueSlot()).table("orders", "table=orders", "mode=cdc", "where=tenant = 1");

            assertThatThrownBy(() -> sync.start(true)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("mode cdc takes no where").hasMessageContaining("row hook");

            sync.table("orders", "table=orders", "mode=cdc", "expressions=doubled: tenant * 2");
            assertThatThrownBy(() -> sync.start(true)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("mode cdc takes no expressions").hasMessageContaining("row hook");
        }
    }

    @Test
    void a_second_process_on_the_same_slot_is_refused_naming_the_reader() {
        String slot = CdcTesting.uniqueSlot();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres())) {
            sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY)");
            CdcTesting.streaming(sync, slot).table("orders", "table=orders", "mode=cdc");
            CdcTesting.startStreaming(sync);

            assertThatThrownBy(() -> SyncApplication.start(dir, Map.of(), true)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("Replication slot " + slot + " is read by another pg-turso-sync process")
                    .hasMessageContaining("'pg-turso-sync reader of slot " + slot + "', Postgres session pid")
                    .hasMessageContaining("sync.cluster.enabled = true");
            sync.stop();
            CdcTesting.dropSlot(sync.pg(), slot);
        }
    }
}
