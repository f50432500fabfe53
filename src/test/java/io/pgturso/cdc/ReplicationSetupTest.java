package io.pgturso.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.cdc.pgoutput.PgOutputMessage;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Insert;
import io.pgturso.cdc.pgoutput.TupleValue;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

/** Start-up checks, publication, slot with its snapshot, status and take-down, against a real Postgres. */
@Timeout(90)
class ReplicationSetupTest {
    private static final AtomicInteger SLOTS = new AtomicInteger();

    private String url;
    private JdbcTemplate pg;
    private CdcConnections connections;
    private String slot;

    @BeforeEach
    void setUp() {
        url = LogicalPostgres.get().newDatabase();
        pg = LogicalPostgres.get().jdbc(url);
        connections = new CdcConnections(url, LogicalPostgres.get().user(), LogicalPostgres.get().password());
        slot = "setup_" + ProcessHandle.current().pid() + "_" + SLOTS.incrementAndGet();
    }

    @AfterEach
    void dropSlot() {
        pg.queryForList("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                + "WHERE slot_name = ? AND NOT active", slot);
    }

    private ReplicationSetup setup(String... tables) {
        return new ReplicationSetup(connections, new ReplicationSpec(slot, "sync_pub", List.of(tables)));
    }

    private static List<Integer> ids(Connection connection, String table) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    @Test
    void a_ready_database_passes_every_check_and_warns_of_unlimited_wal_retention() throws SQLException {
        pg.execute("CREATE TABLE orders (id int PRIMARY KEY)");
        pg.execute("CREATE TABLE events (body text)");
        pg.execute("ALTER TABLE events REPLICA IDENTITY FULL");
        pg.execute("CREATE TABLE lines (a int NOT NULL, b int NOT NULL)");
        pg.execute("CREATE UNIQUE INDEX lines_ab ON lines (a, b)");
        pg.execute("ALTER TABLE lines REPLICA IDENTITY USING INDEX lines_ab");
        ReplicationChecks.Result result = setup("orders", "events", "public.lines").check();
        assertThat(result.problems()).isEmpty();
        assertThat(result.warnings()).singleElement().asString().contains("max_slot_wal_keep_size");
    }

    @Test
    void a_server_that_does_not_decode_its_wal_is_refused_with_the_setting_to_change() throws SQLException {
        String plain = TestPostgres.get().newDatabase();
        CdcConnections replica = new CdcConnections(plain, TestPostgres.get().user(), TestPostgres.get().password());
        ReplicationSetup setup = new ReplicationSetup(replica, new ReplicationSpec(slot, "sync_pub", List.of()));
        assumeThat(setup.check().problems()).as("the shared test server runs with wal_level=replica").isNotEmpty();
        assertThatThrownBy(setup::requireReady).isInstanceOf(CdcSetupException.class)
                .hasMessageContaining("wal_level is 'replica'")
                .hasMessageContaining("ALTER SYSTEM SET wal_level = logical");
    }

    @Test
    void a_role_without_replication_is_refused_with_the_grant() throws SQLException {
        pg.execute("CREATE TABLE orders (id int PRIMARY KEY)");
        String role = "reader_" + slot;
        pg.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'reader'");
        pg.execute("GRANT SELECT ON orders TO " + role);
        ReplicationSetup setup = new ReplicationSetup(new CdcConnections(url, role, "reader"),
                new ReplicationSpec(slot, "sync_pub", List.of("orders")));
        List<String> problems = setup.check().problems();
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Role " + role)
                .contains("ALTER ROLE " + role + " WITH REPLICATION"));
        assertThat(problems).as("nor may it create the publication; the recipe is given")
                .anySatisfy(p -> assertThat(p).contains("CREATE PUBLICATION sync_pub FOR TABLE public.orders"));
    }

    @Test
    void a_table_whose_rows_cannot_be_identified_is_refused_with_the_fix() throws SQLException {
        pg.execute("CREATE TABLE no_key (id int, note text)");
        pg.execute("CREATE TABLE nothing (id int PRIMARY KEY)");
        pg.execute("ALTER TABLE nothing REPLICA IDENTITY NOTHING");
        pg.execute("CREATE TABLE nothing_no_key (id int)");
        pg.execute("ALTER TABLE nothing_no_key REPLICA IDENTITY NOTHING");
        List<String> problems = setup("no_key", "nothing", "nothing_no_key", "missing").check().problems();
        assertThat(problems).containsExactlyInAnyOrder(
                "Table public.no_key has neither a primary key nor REPLICA IDENTITY FULL, so its updates and deletes "
                        + "cannot be streamed: add a primary key, or run ALTER TABLE public.no_key REPLICA IDENTITY FULL",
                "Table public.nothing has REPLICA IDENTITY NOTHING, so its updates and deletes cannot be streamed: "
                        + "run ALTER TABLE public.nothing REPLICA IDENTITY DEFAULT",
                "Table public.nothing_no_key has REPLICA IDENTITY NOTHING, so its updates and deletes cannot be "
                        + "streamed: add a primary key, or run ALTER TABLE public.nothing_no_key REPLICA IDENTITY FULL",
                "Table 'missing' does not exist (or this role cannot see it): create it, or fix the table name");
    }

    @Test
    void the_publication_is_created_then_given_the_tables_added_later() throws SQLException {
        pg.execute("CREATE TABLE orders (id int PRIMARY KEY)");
        pg.execute("CREATE TABLE \"Customers\" (id int PRIMARY KEY)");
        assertThat(setup("orders").ensurePublication())
                .containsExactly("CREATE PUBLICATION sync_pub FOR TABLE public.orders WITH (publish = 'insert, update, delete, truncate')");
        assertThat(setup("orders").ensurePublication()).as("nothing left to do").isEmpty();
        assertThat(setup("orders", "\"Customers\"").ensurePublication())
                .containsExactly("ALTER PUBLICATION sync_pub ADD TABLE public.\"Customers\"");
        assertThat(pg.queryForList("SELECT tablename FROM pg_publication_tables WHERE pubname = 'sync_pub' ORDER BY 1",
                String.class)).containsExactly("Customers", "orders");
    }

    @Test
    void the_snapshot_holds_exactly_the_rows_committed_before_the_slot_and_the_stream_holds_the_rest() throws Exception {
        pg.execute("CREATE TABLE orders (id int PRIMARY KEY)");
        pg.execute("INSERT INTO orders SELECT generate_series(1, 3)");
        ReplicationSetup setup = setup("orders");
        setup.ensurePublication();
        long consistent;
        try (SnapshotHandle snapshot = setup.createSlot()) {
            consistent = snapshot.consistentLsn();
            pg.execute("INSERT INTO orders VALUES (4), (5)");
            pg.execute("DELETE FROM orders WHERE id = 1");
            try (Connection first = connections.open(); Connection second = connections.open()) {
                second.setReadOnly(true); // as the polling pool's sessions are
                try (Statement s = second.createStatement()) {
                    s.execute("SET default_transaction_read_only = on");
                }
                snapshot.begin(first);
                snapshot.begin(second); // pages in flight: any number of sessions share the snapshot
                assertThat(ids(first, "orders")).containsExactly(1, 2, 3);
                assertThat(ids(second, "orders")).containsExactly(1, 2, 3);
                first.commit();
                second.commit();
            }
        }
        assertThat(setup.slotInfo().orElseThrow().confirmedFlushLsn()).isEqualTo(consistent);

        List<String> streamed = new ArrayList<>();
        try (LogicalStream stream = LogicalStream.open(connections, StreamOptions.of(slot, "sync_pub"), consistent)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (PgOutputMessage m = stream.readPending(); m != null; m = stream.readPending()) {
                    if (m instanceof Insert insert) {
                        streamed.add("insert " + ((TupleValue.Text) insert.newRow().get(0)).text());
                    } else if (m instanceof PgOutputMessage.Delete delete) {
                        streamed.add("delete " + ((TupleValue.Text) delete.oldKey().get(0)).text());
                    }
                }
                return streamed.size() >= 3;
            });
        }
        assertThat(streamed).containsExactly("insert 4", "insert 5", "delete 1");
    }

    @Test
    void a_snapshot_is_refused_once_its_handle_is_closed() throws SQLException {
        setup().ensurePublication();
        SnapshotHandle snapshot = setup().createSlot();
        snapshot.close();
        snapshot.close();
        try (Connection c = connections.open()) {
            assertThatThrownBy(() -> snapshot.begin(c)).hasMessageContaining("closed");
        }
    }

    @Test
    void a_table_added_later_gets_a_snapshot_of_its_own_from_a_slot_that_goes_with_it() throws SQLException {
        pg.execute("CREATE TABLE late (id int PRIMARY KEY)");
        pg.execute("INSERT INTO late VALUES (1)");
        try (SnapshotHandle snapshot = setup("late").exportSnapshot("late")) {
            assertThat(snapshot.temporary()).isTrue();
            assertThat(pg.queryForObject("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?", Long.class,
                    slot + "_late")).isEqualTo(1);
            pg.execute("INSERT INTO late VALUES (2)");
            try (Connection c = connections.open()) {
                snapshot.begin(c);
                assertThat(ids(c, "late")).containsExactly(1);
                c.rollback();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pg.queryForObject(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?", Long.class, slot + "_late") == 0);
    }

    @Test
    void slot_status_reports_the_confirmed_position_the_wal_it_keeps_and_its_reader() throws Exception {
        pg.execute("CREATE TABLE orders (id int PRIMARY KEY)");
        ReplicationSetup setup = setup("orders");
        setup.ensurePublication();
        setup.createSlot().close();
        pg.execute("INSERT INTO orders SELECT generate_series(1, 1000)");
        SlotInfo info = setup.slotInfo().orElseThrow();
        assertThat(info.plugin()).isEqualTo("pgoutput");
        assertThat(info.active()).isFalse();
        assertThat(info.retainedBytes()).isPositive();
        assertThat(info.pendingBytes()).isPositive();
        assertThat(Lsn.compare(info.currentLsn(), info.confirmedFlushLsn())).isPositive();
        assertThat(info.walStatus()).isEqualTo("reserved");
        assertThat(info.unlimitedRetention()).isTrue();
        assertThat(info.invalidated()).isFalse();

        try (LogicalStream stream = LogicalStream.open(connections, StreamOptions.of(slot, "sync_pub"), Lsn.NONE)) {
            SlotInfo read = setup.slotInfo().orElseThrow();
            assertThat(read.active()).isTrue();
            assertThat(read.activeApplication()).startsWith(CdcConnections.APPLICATION_NAME);
            assertThatThrownBy(() -> LogicalStream.open(connections, StreamOptions.of(slot, "sync_pub"), Lsn.NONE))
                    .as("one reader per slot").hasMessageContaining("already being read by another process")
                    .hasMessageContaining("PID " + read.activePid());
            assertThatThrownBy(setup::dropSlotAndPublication).hasMessageContaining("stop that reader first");
        }
    }

    @Test
    void the_take_down_drops_the_slot_and_the_publication_once() throws SQLException {
        ReplicationSetup setup = setup();
        setup.ensurePublication();
        setup.createSlot().close();
        assertThat(setup.slotExists()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !setup.slotInfo().orElseThrow().active());
        assertThat(setup.dropSlotAndPublication()).containsExactly("replication slot " + slot, "publication sync_pub");
        assertThat(setup.slotExists()).isFalse();
        assertThat(setup.dropSlotAndPublication()).isEmpty();
    }

    @Test
    void a_slot_that_already_exists_is_not_created_again() throws SQLException {
        setup().ensurePublication();
        setup().createSlot().close();
        assertThatThrownBy(() -> setup().createSlot()).hasMessageContaining("already exists");
    }

    @Test
    void names_that_replication_commands_cannot_take_are_refused() {
        assertThatThrownBy(() -> new ReplicationSpec("Bad-Slot", "pub", List.of()))
                .hasMessageContaining("replication slot name 'Bad-Slot' is not valid");
        assertThatThrownBy(() -> new ReplicationSpec("slot", "pub'; DROP", List.of()))
                .hasMessageContaining("publication name");
    }

    /** The first insert the stream brings. */
    private static Insert firstInsert(LogicalStream stream) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (PgOutputMessage m = stream.readPending(); m != null; m = stream.readPending()) {
                if (m instanceof Insert i) {
                    return i;
                }
            }
            return null;
        }, i -> i != null);
    }

    private static String text(Insert insert, int column) {
        return ((TupleValue.Text) insert.newRow().get(column)).text();
    }

    @Test
    void the_stream_writes_values_with_the_session_settings_of_its_connections() throws Exception {
        pg.execute("CREATE TABLE t (id int PRIMARY KEY, at timestamptz, f float8, span interval)");
        ReplicationSetup setup = setup("t");
        setup.ensurePublication();
        long start;
        try (SnapshotHandle snapshot = setup.createSlot()) {
            start = snapshot.consistentLsn();
        }
        pg.execute("SET TIME ZONE 'America/New_York'; INSERT INTO t VALUES (1, '2024-05-06 07:08:09+00', 0.1, '1 day 2 hours')");
        try (LogicalStream stream = LogicalStream.open(connections, StreamOptions.of(slot, "sync_pub"), start)) {
            Insert insert = firstInsert(stream);
            assertThat(text(insert, 1)).as("UTC, ISO").isEqualTo("2024-05-06 07:08:09+00");
            assertThat(text(insert, 2)).isEqualTo("0.1");
            assertThat(text(insert, 3)).as("IntervalStyle iso_8601, as the polling mode reads it").isEqualTo("P1DT2H");
        }
        CdcConnections tokyo = new CdcConnections(url, LogicalPostgres.get().user(), LogicalPostgres.get().password(),
                "SET TIME ZONE 'Asia/Tokyo'");
        try (LogicalStream stream = LogicalStream.open(tokyo, StreamOptions.of(slot, "sync_pub"), start)) {
            assertThat(text(firstInsert(stream), 1)).isEqualTo("2024-05-06 16:08:09+09");
        }
    }

    @Test
    void a_heartbeat_writes_to_the_wal_of_the_streamed_database() throws SQLException {
        long before = Lsn.parse(pg.queryForObject("SELECT pg_current_wal_lsn()::text", String.class));
        assertThat(Lsn.compare(setup().emitHeartbeat(), before)).isGreaterThanOrEqualTo(0);
        try (Connection c = DriverManager.getConnection(url, LogicalPostgres.get().user(), LogicalPostgres.get().password())) {
            try (Statement s = c.createStatement()) {
                s.execute("SET default_transaction_read_only = on");
            }
            assertThat(Heartbeat.emit(c)).as("even from a read-only session, as the polling pool's are").isPositive();
        }
    }
}
