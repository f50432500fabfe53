package io.pgturso.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.cdc.pgoutput.PgOutputMessage.Change;
import io.pgturso.cdc.pgoutput.PgOutputMessage.LogicalMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small whole transactions go out together up to a change count or a wait; parts always alone; order kept. */
class TransactionBatcherTest {
    private final List<String> emitted = new ArrayList<>();

    private TransactionBatcher batcher(int maxChanges, long maxWait) {
        return new TransactionBatcher(maxChanges, maxWait, (transactions, grouped) -> emitted.add(
                (grouped ? "group " : "single ") + transactions.stream().map(t -> t.xid() + "").toList()));
    }

    private static PgTransaction transaction(long xid, int changes, int part, boolean last) {
        Change change = new LogicalMessage(true, 1, "x", new byte[0]);
        return new PgTransaction(xid, xid, xid + 1, Instant.EPOCH, null, part, last, Collections.nCopies(changes, change));
    }

    @Test
    void without_grouping_every_transaction_goes_alone() {
        TransactionBatcher batcher = batcher(0, 100);
        batcher.add(transaction(1, 1, 0, true), 0);
        batcher.add(transaction(2, 1, 0, true), 0);
        assertThat(emitted).containsExactly("single [1]", "single [2]");
    }

    @Test
    void a_group_goes_out_when_the_next_transaction_would_pass_the_bound_or_it_is_reached() {
        TransactionBatcher batcher = batcher(5, 10_000);
        batcher.add(transaction(1, 2, 0, true), 0);
        batcher.add(transaction(2, 2, 0, true), 0);
        assertThat(emitted).isEmpty();
        batcher.add(transaction(3, 2, 0, true), 0); // 6 > 5: the first two go
        batcher.add(transaction(4, 3, 0, true), 0); // 5 reached
        assertThat(emitted).containsExactly("group [1, 2]", "group [3, 4]");
    }

    @Test
    void a_group_goes_out_after_its_wait() {
        TransactionBatcher batcher = batcher(100, 200);
        batcher.add(transaction(1, 1, 0, true), 1_000);
        batcher.tick(1_150);
        assertThat(emitted).isEmpty();
        batcher.add(transaction(2, 1, 0, true), 1_150);
        batcher.tick(1_200);
        assertThat(emitted).containsExactly("group [1, 2]");
        assertThat(batcher.isEmpty()).isTrue();
    }

    @Test
    void parts_of_a_large_transaction_go_alone_after_the_group_before_them() {
        TransactionBatcher batcher = batcher(100, 10_000);
        batcher.add(transaction(1, 1, 0, true), 0);
        batcher.add(transaction(2, 100, 0, false), 0);
        batcher.add(transaction(2, 5, 1, true), 0);
        assertThat(emitted).containsExactly("group [1]", "single [2]", "single [2]");
    }

    @Test
    void a_group_cut_short_by_a_broken_stream_is_forgotten() {
        TransactionBatcher batcher = batcher(100, 10_000);
        batcher.add(transaction(1, 1, 0, true), 0);
        batcher.clear();
        batcher.flush();
        assertThat(emitted).isEmpty();
    }
}
