package io.pgturso.cdc.pgoutput;

import static io.pgturso.cdc.pgoutput.PgOutputBytes.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.cdc.pgoutput.PgOutputMessage.Begin;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Commit;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Delete;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Insert;
import io.pgturso.cdc.pgoutput.PgOutputMessage.LogicalMessage;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Origin;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Truncate;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Type;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Update;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** pgoutput protocol version 1 read from bytes laid out as Postgres' documentation describes them. */
class PgOutputDecoderTest {
    private static final long ORDERS = 0xFFFF_FF00L; // an OID above 2^31: OIDs are unsigned
    private static final long CUSTOMERS = 16_390L;

    private final PgOutputDecoder decoder = new PgOutputDecoder();

    private static ByteBuffer ordersRelation() {
        return message('R').int32((int) ORDERS).string("sales").string("orders").int8('d').int16(3)
                .int8(1).string("id").int32(23).int32(-1)
                .int8(0).string("note").int32(25).int32(-1)
                .int8(0).string("price").int32(1700).int32(655366)
                .buffer();
    }

    private Relation orders() {
        return (Relation) decoder.decode(ordersRelation());
    }

    @Test
    void begin_and_commit_carry_the_positions_and_the_commit_time_to_the_microsecond() {
        long micros = 786_004_800_123_456L; // 2024-11-27T06:40:00.123456Z
        Instant time = Instant.parse("2024-11-27T06:40:00.123456Z");
        assertThat(decoder.decode(message('B').int64(0x16_B374D848L).int64(micros).int32(0xFFFF_FFFE).buffer()))
                .isEqualTo(new Begin(0x16_B374D848L, time, 0xFFFF_FFFEL));
        assertThat(decoder.decode(message('C').int8(0).int64(0x16_B374D848L).int64(0x16_B374D878L).int64(micros).buffer()))
                .isEqualTo(new Commit(0, 0x16_B374D848L, 0x16_B374D878L, time));
    }

    @Test
    void a_relation_describes_its_columns_key_types_and_modifiers_and_is_remembered() {
        Relation relation = orders();
        assertThat(relation.oid()).isEqualTo(ORDERS);
        assertThat(relation.qualifiedName()).isEqualTo("sales.orders");
        assertThat(relation.replicaIdentity()).isEqualTo('d');
        assertThat(relation.columns()).containsExactly(new Relation.Column(true, "id", 23, -1),
                new Relation.Column(false, "note", 25, -1), new Relation.Column(false, "price", 1700, 655366));
        assertThat(relation.keyColumns()).extracting(Relation.Column::name).containsExactly("id");
        assertThat(decoder.relations().relation(ORDERS)).isSameAs(relation);
    }

    @Test
    void an_empty_namespace_is_pg_catalog() {
        Relation relation = (Relation) decoder.decode(message('R').int32(1).string("").string("t").int8('f').int16(0).buffer());
        assertThat(relation.qualifiedName()).isEqualTo("pg_catalog.t");
    }

    @Test
    void an_insert_names_its_table_and_keeps_nulls_and_text_as_sent() {
        Relation relation = orders();
        Insert insert = (Insert) decoder.decode(message('I').int32((int) ORDERS).int8('N').tuple("7", null, "12.50").buffer());
        assertThat(insert.relation()).isSameAs(relation);
        assertThat(insert.newRow()).isEqualTo(TupleData.of(TupleValue.Text.of("7"), TupleValue.NULL, TupleValue.Text.of("12.50")));
        assertThat(((TupleValue.Text) insert.newRow().get(relation, "price")).text()).isEqualTo("12.50");
        assertThat(insert.newRow().byName(relation)).containsOnlyKeys("id", "note", "price");
    }

    @Test
    void an_unchanged_toast_value_is_its_own_marker_never_a_null() {
        orders();
        Update update = (Update) decoder.decode(message('U').int32((int) ORDERS).int8('N').tuple("7", "\u0000u", "13").buffer());
        assertThat(update.newRow().get(1)).isEqualTo(TupleValue.UNCHANGED_TOAST).isNotEqualTo(TupleValue.NULL);
        assertThat(update.oldKey()).isNull();
        assertThat(update.oldRow()).isNull();
        assertThat(update.oldIdentity()).isSameAs(update.newRow());
    }

    @Test
    void an_update_that_changed_the_key_carries_the_old_key() {
        orders();
        Update update = (Update) decoder.decode(message('U').int32((int) ORDERS)
                .int8('K').tuple("7", null, null).int8('N').tuple("8", "moved", "13").buffer());
        assertThat(update.oldKey()).isEqualTo(TupleData.of(TupleValue.Text.of("7"), TupleValue.NULL, TupleValue.NULL));
        assertThat(update.oldRow()).isNull();
        assertThat(update.oldIdentity()).isSameAs(update.oldKey());
        assertThat(update.newRow().get(0)).isEqualTo(TupleValue.Text.of("8"));
    }

    @Test
    void an_update_of_a_replica_identity_full_table_carries_the_old_row() {
        orders();
        Update update = (Update) decoder.decode(message('U').int32((int) ORDERS)
                .int8('O').tuple("7", "old", "12").int8('N').tuple("7", "new", "12").buffer());
        assertThat(update.oldRow().get(1)).isEqualTo(TupleValue.Text.of("old"));
        assertThat(update.oldKey()).isNull();
    }

    @Test
    void a_delete_carries_the_old_key_or_the_old_row() {
        orders();
        Delete byKey = (Delete) decoder.decode(message('D').int32((int) ORDERS).int8('K').tuple("7", null, null).buffer());
        assertThat(byKey.oldKey().get(0)).isEqualTo(TupleValue.Text.of("7"));
        assertThat(byKey.oldRow()).isNull();
        Delete byRow = (Delete) decoder.decode(message('D').int32((int) ORDERS).int8('O').tuple("7", "x", "1").buffer());
        assertThat(byRow.oldIdentity()).isSameAs(byRow.oldRow());
    }

    @Test
    void a_truncate_names_every_table_and_its_options() {
        Relation orders = orders();
        Relation customers = (Relation) decoder.decode(message('R').int32((int) CUSTOMERS).string("public")
                .string("customers").int8('f').int16(1).int8(1).string("id").int32(20).int32(-1).buffer());
        Truncate truncate = (Truncate) decoder.decode(message('T').int32(2).int8(3)
                .int32((int) ORDERS).int32((int) CUSTOMERS).buffer());
        assertThat(truncate.relations()).containsExactly(orders, customers);
        assertThat(truncate.cascade()).isTrue();
        assertThat(truncate.restartIdentity()).isTrue();
        Truncate plain = (Truncate) decoder.decode(message('T').int32(1).int8(0).int32((int) ORDERS).buffer());
        assertThat(plain.cascade()).isFalse();
        assertThat(plain.restartIdentity()).isFalse();
    }

    @Test
    void origin_type_and_logical_messages_are_read() {
        assertThat(decoder.decode(message('O').int64(0x1_00000010L).string("upstream").buffer()))
                .isEqualTo(new Origin(0x1_00000010L, "upstream"));
        assertThat(decoder.decode(message('Y').int32(16_500).string("public").string("mood").buffer()))
                .isEqualTo(new Type(16_500, "public", "mood"));
        assertThat(decoder.relations().type(16_500)).contains(new Type(16_500, "public", "mood"));
        byte[] content = "héllo\u0000".getBytes(StandardCharsets.UTF_8);
        LogicalMessage logical = (LogicalMessage) decoder.decode(message('M').int8(1).int64(0x2A).string("app")
                .int32(content.length).bytes(content).buffer());
        assertThat(logical).isEqualTo(new LogicalMessage(true, 0x2A, "app", content));
    }

    @Test
    void binary_values_are_kept_as_bytes() {
        orders();
        ByteBuffer bytes = message('I').int32((int) ORDERS).int8('N').int16(3)
                .int8('b').int32(4).int32(7).int8('n').int8('n').buffer();
        Insert insert = (Insert) decoder.decode(bytes);
        assertThat(insert.newRow().get(0)).isEqualTo(new TupleValue.Binary(new byte[] {0, 0, 0, 7}));
    }

    @Test
    void text_that_is_not_utf8_is_refused_with_the_byte_named_when_read() {
        TupleValue.Text text = new TupleValue.Text(new byte[] {'o', 'k', (byte) 0xff});
        assertThatThrownBy(text::text).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0xff")
                .hasMessageContaining("offset 2");
    }

    @Test
    void a_change_for_a_table_never_described_is_refused_with_its_oid() {
        assertThatThrownBy(() -> decoder.decode(message('I').int32(99).int8('N').tuple("1").buffer()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("OID 99");
    }

    @Test
    void malformed_messages_are_refused_not_misread() {
        assertThatThrownBy(() -> decoder.decode(message('B').int64(1).buffer()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("ends early");
        assertThatThrownBy(() -> decoder.decode(message('C').int8(0).int64(1).int64(2).int64(3).int8(9).buffer()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("left over");
        assertThatThrownBy(() -> decoder.decode(message('Z').buffer()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("0x5a");
        assertThatThrownBy(() -> decoder.decode(message('S').int32(1).int8(1).buffer()))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("streaming");
        orders();
        assertThatThrownBy(() -> decoder.decode(message('I').int32((int) ORDERS).int8('N').int16(1).int8('t')
                .int32(100).int8('x').buffer())).isInstanceOf(PgOutputException.class).hasMessageContaining("100 bytes");
    }

    @Test
    void positions_are_written_and_read_as_postgres_writes_them() {
        assertThat(Lsn.format(0x16_B374D848L)).isEqualTo("16/B374D848");
        assertThat(Lsn.format(0)).isEqualTo("0/0");
        assertThat(Lsn.parse("16/B374D848")).isEqualTo(0x16_B374D848L);
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).isEqualTo(-1L);
        assertThat(Lsn.compare(Lsn.parse("FFFFFFFF/0"), Lsn.parse("1/0"))).isPositive();
        assertThatThrownBy(() -> Lsn.parse("16B374D848")).hasMessageContaining("16/B374D848");
    }
}
