package io.pgturso.cdc.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.pgturso.cdc.pgoutput.PgOutputMessage.Begin;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Commit;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Delete;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Insert;
import io.pgturso.cdc.pgoutput.PgOutputMessage.LogicalMessage;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Origin;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Truncate;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Type;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Update;
import io.pgturso.testing.LogicalPostgres;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

/** The decoder reads what a real Postgres sends (taken through the slot's SQL interface, the same bytes the stream carries). */
@Timeout(60)
class PgOutputFromPostgresTest {
    private JdbcTemplate pg;
    private int version;
    private final PgOutputDecoder decoder = new PgOutputDecoder();

    @BeforeEach
    void setUp() {
        pg = LogicalPostgres.get().jdbc(LogicalPostgres.get().newDatabase());
        version = pg.queryForObject("SELECT current_setting('server_version_num')::int", Integer.class);
    }

    private void slot(String tables) {
        pg.execute("CREATE PUBLICATION pub FOR TABLE " + tables);
        pg.execute("SELECT pg_create_logical_replication_slot('s_" + System.nanoTime() + "', 'pgoutput')");
    }

    /** Decodes everything the slot has for us since the last call, with extra stream options. */
    private List<PgOutputMessage> changes(String... options) {
        String slot = pg.queryForObject("SELECT slot_name FROM pg_replication_slots WHERE database = current_database()",
                String.class);
        StringBuilder sql = new StringBuilder("SELECT data FROM pg_logical_slot_get_binary_changes('" + slot
                + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'pub'");
        for (String option : options) {
            sql.append(", '").append(option).append('\'');
        }
        List<PgOutputMessage> messages = new ArrayList<>();
        for (byte[] data : pg.queryForList(sql + ")", byte[].class)) {
            messages.add(decoder.decode(ByteBuffer.wrap(data)));
        }
        return messages;
    }

    private static String text(TupleValue value) {
        return ((TupleValue.Text) value).text();
    }

    @Test
    void inserts_updates_with_a_new_key_deletes_and_truncates_arrive_in_order_between_begin_and_commit() {
        pg.execute("CREATE TABLE orders (id int PRIMARY KEY, note text, price numeric(8,2), at timestamptz)");
        slot("orders");
        pg.execute("INSERT INTO orders VALUES (1, 'first', 12.5, '2024-05-06 07:08:09.123456+00'), (2, NULL, NULL, NULL)");
        pg.execute("UPDATE orders SET id = 10, note = 'moved' WHERE id = 1");
        pg.execute("UPDATE orders SET note = 'same key' WHERE id = 2");
        pg.execute("DELETE FROM orders WHERE id = 10");
        pg.execute("TRUNCATE orders");

        List<PgOutputMessage> all = changes();
        assertThat(all.get(1)).isInstanceOf(Relation.class);
        // Postgres describes the table again where it sees fit (TRUNCATE resets its cache): only the first is asserted
        List<PgOutputMessage> messages = all.stream().filter(m -> m == all.get(1) || !(m instanceof Relation)).toList();
        assertThat(messages).extracting(m -> m.getClass().getSimpleName()).containsExactly(
                "Begin", "Relation", "Insert", "Insert", "Commit",
                "Begin", "Update", "Commit", "Begin", "Update", "Commit",
                "Begin", "Delete", "Commit", "Begin", "Truncate", "Commit");

        Relation orders = (Relation) messages.get(1);
        assertThat(orders.qualifiedName()).isEqualTo("public.orders");
        assertThat(orders.columns()).extracting(Relation.Column::name).containsExactly("id", "note", "price", "at");
        assertThat(orders.keyColumns()).extracting(Relation.Column::name).containsExactly("id");
        assertThat(orders.columns().get(2).typeOid()).isEqualTo(1700L); // numeric
        assertThat(orders.columns().get(2).typeModifier()).isEqualTo((8 << 16 | 2) + 4);

        Insert first = (Insert) messages.get(2);
        assertThat(first.relation()).isSameAs(orders);
        assertThat(text(first.newRow().get(0))).isEqualTo("1");
        assertThat(text(first.newRow().get(2))).isEqualTo("12.50");
        assertThat(text(first.newRow().get(3))).startsWith("2024-05-06").contains("07:08:09.123456");
        assertThat(((Insert) messages.get(3)).newRow().values().subList(1, 4)).containsOnly(TupleValue.NULL);

        Begin begin = (Begin) messages.get(0);
        Commit commit = (Commit) messages.get(4);
        assertThat(commit.commitLsn()).isEqualTo(begin.finalLsn());
        assertThat(Lsn.compare(commit.endLsn(), commit.commitLsn())).isPositive();
        assertThat(commit.commitTime()).isEqualTo(begin.commitTime());

        Update moved = (Update) messages.get(6);
        assertThat(text(moved.oldKey().get(0))).isEqualTo("1");
        assertThat(moved.oldKey().get(1)).as("only the key is sent").isEqualTo(TupleValue.NULL);
        assertThat(text(moved.newRow().get(0))).isEqualTo("10");
        assertThat(((Update) messages.get(9)).oldKey()).as("key unchanged: no old key").isNull();

        Delete delete = (Delete) messages.get(12);
        assertThat(text(delete.oldKey().get(0))).isEqualTo("10");
        Truncate truncate = (Truncate) messages.get(15);
        assertThat(truncate.relations()).extracting(Relation::name).containsExactly("orders");
    }

    @Test
    void an_untouched_large_value_comes_as_unchanged_toast_and_a_full_identity_sends_old_rows() {
        pg.execute("CREATE TABLE docs (id int PRIMARY KEY, title text, body text)");
        pg.execute("ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL"); // out of line, uncompressed
        slot("docs");
        pg.execute("INSERT INTO docs VALUES (1, 'a', repeat('x', 20000))");
        pg.execute("UPDATE docs SET title = 'b' WHERE id = 1");
        List<PgOutputMessage> messages = changes();
        Insert insert = (Insert) messages.get(2);
        assertThat(text(insert.newRow().get(2))).hasSize(20000);
        Update update = (Update) messages.stream().filter(Update.class::isInstance).findFirst().orElseThrow();
        assertThat(text(update.newRow().get(1))).isEqualTo("b");
        assertThat(update.newRow().get(2)).isEqualTo(TupleValue.UNCHANGED_TOAST);

        pg.execute("ALTER TABLE docs REPLICA IDENTITY FULL");
        pg.execute("UPDATE docs SET title = 'c' WHERE id = 1");
        pg.execute("DELETE FROM docs");
        List<PgOutputMessage> full = changes().stream()
                .filter(m -> m instanceof Update || m instanceof Delete).toList();
        Update withOldRow = (Update) full.get(0);
        assertThat(text(withOldRow.oldRow().get(1))).isEqualTo("b");
        assertThat(withOldRow.oldKey()).isNull();
        assertThat(((Delete) full.get(1)).oldRow()).isNotNull();
        assertThat(((Delete) full.get(1)).relation().replicaIdentity()).isEqualTo('f');
    }

    @Test
    void a_schema_change_sends_the_relation_again_and_user_types_are_named() {
        pg.execute("CREATE TYPE mood AS ENUM ('sad', 'happy')");
        pg.execute("CREATE TABLE people (id int PRIMARY KEY, feeling mood)");
        slot("people");
        pg.execute("INSERT INTO people VALUES (1, 'happy')");
        pg.execute("ALTER TABLE people ADD COLUMN nickname text");
        pg.execute("INSERT INTO people VALUES (2, 'sad', 'bo')");
        List<PgOutputMessage> messages = changes();

        Type mood = messages.stream().filter(Type.class::isInstance).map(Type.class::cast).findFirst().orElseThrow();
        assertThat(mood.name()).isEqualTo("mood");
        assertThat(mood.namespace()).isEqualTo("public");
        List<Relation> relations = messages.stream().filter(Relation.class::isInstance).map(Relation.class::cast).toList();
        assertThat(relations).hasSize(2);
        assertThat(relations.get(0).columns().get(1).typeOid()).isEqualTo(mood.oid());
        assertThat(relations.get(1).columns()).extracting(Relation.Column::name).containsExactly("id", "feeling", "nickname");
        Insert second = (Insert) messages.stream().filter(Insert.class::isInstance).reduce((a, b) -> b).orElseThrow();
        assertThat(second.relation()).isSameAs(relations.get(1));
        assertThat(text(second.newRow().get(2))).isEqualTo("bo");
    }

    @Test
    void an_origin_names_a_replayed_transaction() {
        pg.execute("CREATE TABLE t (id int PRIMARY KEY)");
        slot("t");
        pg.execute("SELECT pg_replication_origin_create('upstream')");
        // the session's origin marks the commit: set up in the same session, before the commit
        pg.execute("SELECT pg_replication_origin_session_setup('upstream'); INSERT INTO t VALUES (1)");
        List<PgOutputMessage> messages = changes();
        assertThat(messages).filteredOn(Origin.class::isInstance).extracting(m -> ((Origin) m).name()).containsExactly("upstream");
    }

    @Test
    void logical_messages_and_binary_values_come_when_asked_for() {
        assumeThat(version).as("messages and binary options need Postgres 14").isGreaterThanOrEqualTo(140_000);
        pg.execute("CREATE TABLE t (id int PRIMARY KEY, name text)");
        slot("t");
        pg.execute("SELECT pg_logical_emit_message(false, 'app', 'alone')"); // not flushed by itself: the commit below does
        pg.execute("BEGIN; INSERT INTO t VALUES (7, 'x'); SELECT pg_logical_emit_message(true, 'app', 'in tx'); COMMIT");
        List<PgOutputMessage> messages = changes("messages", "true", "binary", "true");
        Insert insert = (Insert) messages.stream().filter(Insert.class::isInstance).findFirst().orElseThrow();
        assertThat(insert.newRow().get(0)).isEqualTo(new TupleValue.Binary(new byte[] {0, 0, 0, 7}));
        List<LogicalMessage> logical = messages.stream().filter(LogicalMessage.class::isInstance)
                .map(LogicalMessage.class::cast).toList();
        assertThat(logical).extracting(LogicalMessage::transactional).containsExactly(false, true);
        assertThat(logical).extracting(m -> new String(m.content(), StandardCharsets.UTF_8)).containsExactly("alone", "in tx");
        assertThat(messages.indexOf(logical.get(0))).as("outside any transaction").isZero();
        assertThat(messages.indexOf(logical.get(1))).as("inside its transaction")
                .isLessThan(messages.indexOf(messages.stream().filter(Commit.class::isInstance).findFirst().orElseThrow()));
    }
}
