package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rows per request shrink after slow or timed-out requests and grow back after fast ones, within bounds. */
class AdaptiveRequestSizeTest {

    @Test
    void a_slow_request_halves_the_rows_and_fast_ones_grow_them_back_to_the_maximum() {
        AdaptiveRequestSize size = new AdaptiveRequestSize(10_000);
        size.answered(10_000, Duration.ofSeconds(3));
        assertThat(size.rows()).isEqualTo(5_000);
        size.shrink(5_000);
        assertThat(size.rows()).isEqualTo(2_500);
        size.answered(2_500, Duration.ofMillis(100));
        size.answered(5_000, Duration.ofMillis(100));
        size.answered(10_000, Duration.ofMillis(100));
        assertThat(size.rows()).isEqualTo(10_000);
    }

    @Test
    void it_never_drops_below_a_floor_nor_grows_on_requests_smaller_than_the_size() {
        AdaptiveRequestSize size = new AdaptiveRequestSize(1_000);
        for (int i = 0; i < 20; i++) {
            size.shrink(size.rows());
        }
        assertThat(size.rows()).isEqualTo(16);
        size.answered(3, Duration.ofMillis(1));
        assertThat(size.rows()).isEqualTo(16);
    }
}
