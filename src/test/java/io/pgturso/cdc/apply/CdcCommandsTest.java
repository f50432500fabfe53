package io.pgturso.cdc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The commands and the row hook on tables in cdc mode: status, plan, verify and replay, a hook on every change. */
@Timeout(240)
class CdcCommandsTest {
    @TempDir
    Path dir;
    SyncHarness sync;
    JdbcTemplate pg;
    String slot;

    @BeforeEach
    void setUp() {
        sync = SyncHarness.create(dir, TestTarget.file(dir), LogicalPostgres.get().asTestPostgres());
        pg = sync.pg();
        slot = CdcTesting.uniqueSlot();
        CdcTesting.streaming(sync, slot);
    }

    @AfterEach
    void tearDown() {
        sync.close();
        CdcTesting.dropSlot(pg, slot);
    }

    @Test
    void status_shows_the_slot_the_wal_it_keeps_and_the_lag_and_plan_and_verify_describe_the_table() {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, v float8)");
        pg.update("INSERT INTO readings VALUES (1, 1.5)");
        sync.table("readings", "table=readings", "mode=cdc");
        CdcTesting.startStreaming(sync);
        pg.update("INSERT INTO readings VALUES (2, 'NaN'), (3, 3.5)");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM readings") == 2);

        SyncHarness.CliResult status = sync.cli("status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).containsPattern("readings +cdc +readings +- +- +\\d+ +1 .*streamed")
                .contains("Change stream: slot " + slot + ", publication " + slot + ", read by Postgres session pid")
                .containsPattern("confirmed: +[0-9A-F]+/[0-9A-F]+; the target holds up to [0-9A-F]+/[0-9A-F]+")
                .containsPattern("WAL kept: +[0-9,]+ bytes on the Postgres server")
                .contains("apply lag:");

        SyncHarness.CliResult plan = sync.cli("plan");
        assertThat(plan.out()).contains("readings: \"public\".\"readings\" -> readings, cdc mode")
                .contains("streamed from slot " + slot);

        SyncHarness.CliResult verify = sync.cli("verify");
        assertThat(verify.out()).contains("readings: OK 3 rows, apart from 1 dead-lettered");
        assertThat(verify.exitCode()).isZero();
    }

    @Test
    void replay_writes_a_dead_lettered_row_again_from_postgres_and_the_stream_goes_on_after_it() {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, v float8)");
        sync.table("readings", "table=readings", "mode=cdc");
        CdcTesting.startStreaming(sync);
        pg.update("INSERT INTO readings VALUES (1, 1.5), (2, 'NaN')");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM pgturso_dead_letters") == 1);
        sync.stop();
        // fixed in Postgres while the sync is stopped: replay reads the row as it is now
        pg.update("UPDATE readings SET v = 2.5 WHERE id = 2");

        SyncHarness.CliResult replay = sync.cli("replay");
        assertThat(replay.out()).contains("Replay: 1 rows written, 0 failed again");
        assertThat(count("SELECT count(*) FROM pgturso_dead_letters")).isZero();
        assertThat(sync.target().queryForObject("SELECT v FROM readings WHERE id = 2", Double.class)).isEqualTo(2.5);

        CdcTesting.startStreaming(sync);
        pg.update("INSERT INTO readings VALUES (3, 3.5)");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM readings") == 3);
        assertThat(sync.compare("readings").isEqual()).isTrue();
    }

    @Test
    void cdc_uninstall_drops_the_slot_and_publication_and_is_refused_while_the_stream_reads() {
        pg.execute("CREATE TABLE readings (id int PRIMARY KEY, v float8)");
        sync.table("readings", "table=readings", "mode=cdc");
        CdcTesting.startStreaming(sync);

        SyncHarness.CliResult refused = sync.cli("cdc-uninstall");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("Replication slot " + slot + " is read by 'pg-turso-sync reader of slot " + slot + "'")
                .contains("stop that process first");
        assertThat(slots()).isEqualTo(1);

        sync.stop();
        SyncHarness.CliResult uninstall = sync.cli("cdc-uninstall");
        assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
        assertThat(uninstall.out()).contains("Dropped: replication slot " + slot + ", publication " + slot
                + ", the target's stream position for slot " + slot);
        assertThat(slots()).isZero();
        assertThat(pg.queryForObject("SELECT count(*) FROM pg_publication WHERE pubname = ?", Long.class, slot)).isZero();
    }

    @Test
    void a_row_hook_runs_on_every_streamed_change_as_on_a_page() throws IOException {
        Path examples = Path.of(System.getProperty("project.dir", ".")).resolve("routes/examples");
        Files.copy(examples.resolve("mask-email.camel.yaml"), dir.resolve("routes").resolve("mask-email.camel.yaml"));
        pg.execute("CREATE TABLE customers (id int PRIMARY KEY, email text)");
        pg.update("INSERT INTO customers VALUES (1, 'ada@example.com')");
        sync.table("customers", "table=customers", "mode=cdc", "transform=direct:mask-email");
        CdcTesting.startStreaming(sync);
        pg.update("INSERT INTO customers VALUES (2, 'bob@example.com')");
        pg.update("UPDATE customers SET email = 'cy@example.com' WHERE id = 1");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sync.target().queryForList(
                "SELECT email FROM customers ORDER BY id", String.class)).containsExactly(sha256("cy@example.com"),
                        sha256("bob@example.com")));
    }

    private long slots() {
        return pg.queryForObject("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?", Long.class, slot);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private long count(String sql) {
        try {
            return sync.target().queryForObject(sql, Long.class);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
