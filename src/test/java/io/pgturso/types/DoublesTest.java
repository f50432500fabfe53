package io.pgturso.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DoublesTest {
    private static double rebuilt(double d) {
        long[] parts = Doubles.exactParts(d);
        assertThat(Math.abs(parts[0])).isLessThanOrEqualTo(1L << 53);
        return parts[0] * Math.pow(2.0, parts[1]);
    }

    @Test
    void mantissa_times_a_power_of_two_rebuilds_every_double_bit_for_bit() {
        double[] hard = {Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 1.0, -0.5,
                0.1, 3.4028234663852886E38, -7.689360648712262e-23, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double d : hard) {
            assertThat(Double.doubleToRawLongBits(rebuilt(d))).as(Double.toString(d)).isEqualTo(Double.doubleToRawLongBits(d));
        }
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isNaN(d) && d != 0.0) {
                assertThat(Double.doubleToRawLongBits(rebuilt(d))).isEqualTo(Double.doubleToRawLongBits(d));
            }
        }
    }

    @Test
    void nan_is_refused_and_negative_zero_stored_as_zero() {
        assertThatThrownBy(() -> Doubles.storable(Double.NaN)).hasMessageContaining("NaN");
        assertThat(Double.doubleToRawLongBits(Doubles.storable(-0.0))).isZero();
        assertThat(Doubles.exactParts(0.0)).containsExactly(0, 0);
    }
}
