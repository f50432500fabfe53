package io.pgturso.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void utc_timestamps_get_a_fixed_width_fraction_so_they_sort_as_text() {
        assertThat(Timestamps.isoUtc("2024-05-01 10:00:00+00")).isEqualTo("2024-05-01T10:00:00.000000Z");
        assertThat(Timestamps.isoUtc("2024-05-01 10:00:00.5+00")).isEqualTo("2024-05-01T10:00:00.500000Z");
        assertThat(Timestamps.isoUtc("2024-05-01 10:00:00+00")).isLessThan(Timestamps.isoUtc("2024-05-01 10:00:00.5+00"));
    }

    @Test
    void every_fraction_length_gives_the_same_fixed_width_form_and_five_digit_years_are_refused() {
        assertThat(Timestamps.isoUtc("2024-05-01 10:00:00.123456+00")).isEqualTo("2024-05-01T10:00:00.123456Z");
        assertThat(Timestamps.isoUtc("2024-05-01 10:00:00.12+00")).isEqualTo("2024-05-01T10:00:00.120000Z");
        assertThatThrownBy(() -> Timestamps.isoUtc("12345-05-01 10:00:00.1+00")).hasMessageContaining("after year 9999");
        assertThatThrownBy(() -> Timestamps.isoUtc("2024-05-01 10:00:00.+00")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void offsets_other_than_utc_are_converted_to_utc() {
        assertThat(Timestamps.isoUtc("2024-05-01 12:00:00.25+02")).isEqualTo("2024-05-01T10:00:00.250000Z");
        assertThat(Timestamps.isoUtc("2024-05-01 05:00:00-05:30")).isEqualTo("2024-05-01T10:30:00.000000Z");
    }

    @Test
    void local_timestamps_and_dates_keep_their_wall_clock_value() {
        assertThat(Timestamps.isoLocal("1999-12-31 23:59:59.999999")).isEqualTo("1999-12-31T23:59:59.999999");
        assertThat(Timestamps.isoDate("2024-02-29")).isEqualTo("2024-02-29");
    }

    @Test
    void infinity_is_kept_and_dates_before_the_common_era_are_refused() {
        assertThat(Timestamps.isoUtc("infinity")).isEqualTo("infinity");
        assertThat(Timestamps.isoLocal("-infinity")).isEqualTo("-infinity");
        assertThatThrownBy(() -> Timestamps.isoDate("0044-03-15 BC")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> Timestamps.isoUtc("0044-03-15 10:00:00+00 BC")).hasMessageContaining("ISO-8601");
    }
}
