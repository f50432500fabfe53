package io.pgturso.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.cdc.pgoutput.PgOutputException;
import io.pgturso.cdc.pgoutput.PgOutputMessage;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Begin;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Commit;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Insert;
import io.pgturso.cdc.pgoutput.Relation;
import io.pgturso.cdc.pgoutput.TupleData;
import io.pgturso.cdc.pgoutput.TupleValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transactions are gathered between Begin and Commit, never more than the bound at once. */
class TransactionAssemblerTest {
    private static final Relation T = new Relation(1, "public", "t", 'd', List.of(new Relation.Column(true, "id", 23, -1)));
    private static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

    private final List<Object> out = new ArrayList<>();
    private final TransactionAssembler assembler = new TransactionAssembler(3, 1_000, new TransactionAssembler.Output() {
        @Override
        public void transaction(PgTransaction transaction) {
            out.add(transaction);
        }

        @Override
        public void position(long lsn) {
            out.add(lsn);
        }
    });

    private static Insert insert(int id) {
        return new Insert(T, TupleData.of(TupleValue.Text.of(String.valueOf(id))));
    }

    private void transaction(long commitLsn, int changes) {
        assembler.accept(new Begin(commitLsn, AT, 7), 20);
        for (int i = 1; i <= changes; i++) {
            assembler.accept(insert(i), 10);
        }
        assembler.accept(new Commit(0, commitLsn, commitLsn + 8, AT), 20);
    }

    @Test
    void a_transaction_within_the_bound_comes_whole_with_its_end_position() {
        transaction(100, 3);
        PgTransaction t = (PgTransaction) out.get(0);
        assertThat(out).hasSize(1);
        assertThat(t.whole()).isTrue();
        assertThat(t.changes()).hasSize(3);
        assertThat(t.commitLsn()).isEqualTo(100);
        assertThat(t.confirmLsn()).isEqualTo(108);
        assertThat(assembler.inTransaction()).isFalse();
    }

    @Test
    void a_larger_transaction_comes_in_parts_and_only_the_last_has_a_position() {
        assembler.accept(new Begin(200, AT, 9), 20);
        for (int i = 1; i <= 7; i++) {
            assembler.accept(insert(i), 10);
            assertThat(out.size() * 3 + 3).as("never more than 3 changes held").isGreaterThanOrEqualTo(i);
        }
        assertThat(assembler.inTransaction()).isTrue();
        assembler.accept(new Commit(0, 200, 208, AT), 20);
        assertThat(out).extracting(o -> ((PgTransaction) o).part()).containsExactly(0, 1, 2);
        assertThat(out).extracting(o -> ((PgTransaction) o).changes().size()).containsExactly(3, 3, 1);
        assertThat(out).extracting(o -> ((PgTransaction) o).confirmLsn()).containsExactly(0L, 0L, 208L);
        assertThat(out).extracting(o -> ((PgTransaction) o).lastPart()).containsExactly(false, false, true);
    }

    @Test
    void a_transaction_past_the_byte_bound_comes_in_parts_and_a_single_large_change_is_never_held_back() {
        assembler.accept(new Begin(700, AT, 1), 20);
        assembler.accept(insert(1), 600);
        assembler.accept(insert(2), 600); // 1,200 > 1,000: the first goes alone
        assembler.accept(insert(3), 5_000); // larger than the bound by itself: it goes, alone
        assembler.accept(new Commit(0, 700, 708, AT), 20);
        assertThat(out).extracting(o -> ((PgTransaction) o).changes().size()).containsExactly(1, 1, 1);
    }

    @Test
    void a_transaction_of_exactly_the_bound_is_not_split() {
        transaction(300, 3);
        assertThat(out).hasSize(1);
    }

    @Test
    void a_transaction_with_nothing_published_only_moves_the_position() {
        transaction(400, 0);
        assertThat(out).containsExactly(408L);
    }

    @Test
    void the_origin_and_the_relations_do_not_count_as_changes() {
        assembler.accept(new Begin(500, AT, 1), 20);
        assembler.accept(new PgOutputMessage.Origin(42, "upstream"), 20);
        assembler.accept(T, 30);
        assembler.accept(insert(1), 10);
        assembler.accept(new Commit(0, 500, 508, AT), 20);
        PgTransaction t = (PgTransaction) out.get(0);
        assertThat(t.origin()).isEqualTo("upstream");
        assertThat(t.changes()).hasSize(1);
    }

    @Test
    void a_transaction_cut_short_is_forgotten_and_nonsense_is_refused() {
        assembler.accept(new Begin(600, AT, 1), 20);
        assembler.accept(insert(1), 10);
        assembler.reset();
        assertThat(assembler.inTransaction()).isFalse();
        assertThat(out).isEmpty();
        assertThatThrownBy(() -> assembler.accept(insert(2), 10)).isInstanceOf(PgOutputException.class);
        assertThatThrownBy(() -> assembler.accept(new Commit(0, 1, 2, AT), 20)).isInstanceOf(PgOutputException.class);
        assembler.accept(new PgOutputMessage.LogicalMessage(false, 5, "p", new byte[0]), 20);
        assertThat(out).as("a message outside transactions is not a change to apply").isEmpty();
    }
}
