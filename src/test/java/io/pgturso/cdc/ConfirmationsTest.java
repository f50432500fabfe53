package io.pgturso.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A position is confirmed only when its delivery and every one before it completed. */
class ConfirmationsTest {
    private final Confirmations confirmations = new Confirmations();

    @Test
    void positions_are_confirmed_in_order_once_everything_before_completed() {
        Confirmations.Ticket first = confirmations.expect(100);
        Confirmations.Ticket second = confirmations.expect(200);
        confirmations.completed(second);
        assertThat(confirmations.confirmed()).as("the first is still out").isZero();
        confirmations.completed(first);
        assertThat(confirmations.confirmed()).isEqualTo(200);
        assertThat(confirmations.inFlight()).isZero();
    }

    @Test
    void a_position_with_nothing_to_apply_waits_behind_the_deliveries_before_it() {
        Confirmations.Ticket out = confirmations.expect(100);
        confirmations.passed(150);
        confirmations.passed(170);
        assertThat(confirmations.confirmed()).isZero();
        confirmations.completed(out);
        assertThat(confirmations.confirmed()).isEqualTo(170);
        confirmations.passed(180);
        assertThat(confirmations.confirmed()).as("nothing out: confirmed at once").isEqualTo(180);
    }

    @Test
    void a_part_before_the_last_confirms_nothing_of_its_own() {
        Confirmations.Ticket part = confirmations.expect(0);
        confirmations.completed(part);
        assertThat(confirmations.confirmed()).isZero();
    }

    @Test
    void after_a_failure_nothing_more_is_confirmed_until_the_stream_restarts() {
        Confirmations.Ticket ok = confirmations.expect(100);
        Confirmations.Ticket bad = confirmations.expect(200);
        Confirmations.Ticket later = confirmations.expect(300);
        confirmations.completed(ok);
        confirmations.failed(bad, new IllegalStateException("down"));
        confirmations.completed(later);
        confirmations.passed(400);
        assertThat(confirmations.confirmed()).isEqualTo(100);
        assertThat(confirmations.failure()).hasMessage("down");

        confirmations.restart(confirmations.confirmed());
        confirmations.completed(bad); // a late outcome from before the restart
        assertThat(confirmations.confirmed()).isEqualTo(100);
        assertThat(confirmations.failure()).isNull();
        confirmations.completed(confirmations.expect(200));
        assertThat(confirmations.confirmed()).isEqualTo(200);
    }

    @Test
    void positions_compare_as_unsigned_and_never_move_back() {
        confirmations.passed(0xF000_0000_0000_0000L);
        confirmations.passed(10);
        assertThat(confirmations.confirmed()).isEqualTo(0xF000_0000_0000_0000L);
    }

    @Test
    @Timeout(10)
    void the_reader_waits_for_the_delivery_out_and_stops_waiting_on_failure() throws InterruptedException {
        Confirmations.Ticket out = confirmations.expect(100);
        assertThat(confirmations.awaitNoneInFlight(50)).isFalse();
        Thread completer = new Thread(() -> confirmations.completed(out));
        completer.start();
        assertThat(confirmations.awaitNoneInFlight(5_000)).isTrue();
        completer.join();
        Confirmations.Ticket failing = confirmations.expect(200);
        confirmations.failed(failing, null);
        assertThat(confirmations.awaitNoneInFlight(5_000)).isFalse();
    }
}
