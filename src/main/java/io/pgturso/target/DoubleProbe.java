package io.pgturso.target;

import io.pgturso.types.Doubles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the target once whether it reads decimal doubles exactly. Some servers ({@code tursodb}) round some of them one
 * unit in the last place off; then REAL values are sent as mantissa and exponent ({@link Doubles#EXACT_PLACEHOLDER}).
 */
public final class DoubleProbe {
    private static final Logger LOG = LoggerFactory.getLogger(DoubleProbe.class);
    /** Values known to be misread by some parsers, the extremes, and random doubles of every magnitude. */
    static final List<Double> HARD_CASES = hardCases();

    private DoubleProbe() {
    }

    /** True when plain double parameters come back changed and the exact encoding comes back right. */
    public static boolean needsExactEncoding(DataSource target) {
        try (Connection c = target.getConnection()) {
            if (roundTrips(c, false)) {
                return false;
            }
            if (roundTrips(c, true)) {
                LOG.info("The target misreads some doubles sent as decimals: REAL values are sent as mantissa and exponent");
                return true;
            }
            LOG.warn("The target misreads some doubles sent as decimals, and the exact encoding {} fails too: some REAL "
                    + "values may land one unit in the last place off", Doubles.EXACT_PLACEHOLDER);
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot ask the target how it reads doubles: " + e.getMessage(), e);
        }
    }

    private static boolean roundTrips(Connection c, boolean exact) throws SQLException {
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        HARD_CASES.forEach(d -> select.add(exact ? Doubles.EXACT_PLACEHOLDER : "?"));
        try (PreparedStatement ps = c.prepareStatement(select.toString())) {
            int i = 1;
            for (double d : HARD_CASES) {
                if (exact) {
                    long[] parts = Doubles.exactParts(d);
                    ps.setLong(i++, parts[0]);
                    ps.setLong(i++, parts[1]);
                } else {
                    ps.setDouble(i++, d);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                for (int col = 1; col <= HARD_CASES.size(); col++) {
                    if (Double.doubleToLongBits(rs.getDouble(col)) != Double.doubleToLongBits(HARD_CASES.get(col - 1))) {
                        return false;
                    }
                }
                return true;
            }
        } catch (SQLException e) {
            if (exact) {
                return false;
            }
            throw e;
        }
    }

    private static List<Double> hardCases() {
        List<Double> out = new ArrayList<>(List.of(3.4028234663852886E38, -7.689360648712262e-23, Double.MIN_VALUE,
                Double.MAX_VALUE, Double.MIN_NORMAL, 2.225073858507201E-308, 0.1, 1.0 / 3, 9007199254740991.0, 1e23,
                8.98846567431158E307, 5e-324 * 3, 2.2250738585072014E-308 - Double.MIN_VALUE));
        Random random = new Random(20261125);
        while (out.size() < 200) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }
}
