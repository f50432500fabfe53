package io.pgturso.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pgturso.app.App;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestPostgres;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code timestamp} (without time zone) cursor holds the writer's local time: the horizon must be taken in the zone
 * the writers' sessions get, not in the zone of the JVM that runs the sync (which pgjdbc gives the sync's sessions).
 */
@Timeout(120)
class TimestampCursorZoneTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"file", "tursodb", "libsql test server"})
    void a_late_commit_arrives_when_the_database_zone_is_behind_the_jvms(String targetKind) throws Exception {
        String zone = zoneBehindTheJvm();
        try (TestTarget target = target(targetKind); SyncHarness sync = SyncHarness.create(dir, target)) {
            sync.pg().execute("ALTER DATABASE " + database(sync) + " SET timezone = '" + zone + "'");
            eventsTable(sync);
            sync.table("events", "table=events", "cursor=updated_at");
            sync.start();

            try (Connection longTransaction = writer(sync, zone); Connection other = writer(sync, zone)) {
                longTransaction.setAutoCommit(false);
                longTransaction.createStatement().execute("INSERT INTO events (id, name) VALUES (100, 'committed late')");
                other.createStatement().execute("INSERT INTO events (id, name) VALUES (101, 'committed first')");

                assertThat(sync.runOnce("events")).isTrue();
                assertThat(ids(sync)).as("rows newer than the open transaction's start wait").isEmpty();
                longTransaction.commit();
            }
            assertThat(sync.runOnce("events")).isTrue();

            assertThat(ids(sync)).containsExactly(100L, 101L);
            assertThat(sync.compare("events").isEqual()).isTrue();
        }
    }

    @Test
    void without_a_zone_of_the_database_the_start_is_refused_until_the_writers_zone_is_named() throws Exception {
        String zone = zoneBehindTheJvm();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            eventsTable(sync);
            sync.table("events", "table=events", "cursor=updated_at");

            CliResult refused = sync.cli("once");
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(App.BAD_CONFIG);
            assertThat(refused.err()).contains("events", "timestamp without time zone", "sync.horizon.time-zone")
                    .contains("ALTER DATABASE " + database(sync) + " SET timezone");

            sync.property("sync.horizon.time-zone", zone);
            sync.start();
            try (Connection longTransaction = writer(sync, zone); Connection other = writer(sync, zone)) {
                longTransaction.setAutoCommit(false);
                longTransaction.createStatement().execute("INSERT INTO events (id, name) VALUES (1, 'committed late')");
                other.createStatement().execute("INSERT INTO events (id, name) VALUES (2, 'committed first')");
                assertThat(sync.runOnce("events")).isTrue();
                longTransaction.commit();
            }
            assertThat(sync.runOnce("events")).isTrue();
            assertThat(ids(sync)).containsExactly(1L, 2L);
        }
    }

    @Test
    void a_login_role_that_may_write_the_table_with_a_zone_of_its_own_makes_the_writers_zone_unknown() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            String writer = "writer_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
            String reader = "reader_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
            sync.pg().execute("ALTER DATABASE " + database(sync) + " SET timezone = 'America/New_York'");
            eventsTable(sync);
            for (String role : List.of(writer, reader)) {
                sync.pg().execute("CREATE ROLE " + role + " LOGIN");
                sync.pg().execute("ALTER ROLE " + role + " IN DATABASE " + database(sync) + " SET timezone = 'Asia/Tokyo'");
            }
            sync.pg().execute("GRANT SELECT, INSERT ON events TO " + writer);
            sync.pg().execute("GRANT SELECT ON events TO " + reader);
            sync.table("events", "table=events", "cursor=updated_at");

            CliResult refused = sync.cli("once");
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(App.BAD_CONFIG);
            assertThat(refused.err()).contains(writer + " (Asia/Tokyo)", "sync.horizon.time-zone").doesNotContain(reader);

            sync.property("sync.horizon.time-zone", "America/New_York");
            CliResult named = sync.cli("once");
            assertThat(named.exitCode()).as(named.out() + named.err()).isZero();
        }
    }

    @Test
    void an_unknown_zone_is_refused_naming_the_setting() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            eventsTable(sync);
            sync.table("events", "table=events", "cursor=updated_at");
            sync.property("sync.horizon.time-zone", "Mars/Olympus_Mons");

            CliResult refused = sync.cli("once");

            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(App.BAD_CONFIG);
            assertThat(refused.err()).contains("sync.horizon.time-zone", "Mars/Olympus_Mons");
        }
    }

    private static void eventsTable(SyncHarness sync) {
        sync.pg().execute("CREATE TABLE events (id bigint PRIMARY KEY, name text, updated_at timestamp NOT NULL DEFAULT now())");
    }

    /** A zone at least 3 h behind the JVM's now (America/New_York for a JVM in UTC): the horizon would be hours ahead. */
    private static String zoneBehindTheJvm() {
        Instant now = Instant.now();
        int jvm = ZoneId.systemDefault().getRules().getOffset(now).getTotalSeconds();
        String zone = List.of("America/New_York", "Pacific/Pago_Pago").stream()
                .filter(z -> jvm - ZoneId.of(z).getRules().getOffset(now).getTotalSeconds() >= 3 * 3600)
                .findFirst().orElse(null);
        assumeThat(zone).as("a zone well behind the JVM's").isNotNull();
        return zone;
    }

    /**
     * A writer session in {@code zone}, as a client that sends no zone of its own (psql, Python, Node, Go) gets the
     * database's: pgjdbc sends the JVM's zone, so the test sets it.
     */
    private static Connection writer(SyncHarness sync, String zone) throws SQLException {
        Connection c = DriverManager.getConnection(sync.pgUrl(), TestPostgres.get().user(), TestPostgres.get().password());
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE '" + zone + "'");
        }
        return c;
    }

    private TestTarget target(String kind) {
        return switch (kind) {
            case "file" -> TestTarget.file(dir);
            case "tursodb" -> TestTarget.turso(dir);
            default -> TestTarget.libsqlServer(dir);
        };
    }

    private static String database(SyncHarness sync) {
        return sync.pgUrl().substring(sync.pgUrl().lastIndexOf('/') + 1);
    }

    private static List<Long> ids(SyncHarness sync) {
        return sync.target().queryForList("SELECT id FROM events ORDER BY id", Long.class);
    }
}
