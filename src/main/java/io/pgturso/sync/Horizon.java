package io.pgturso.sync;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The latest cursor value a pass may read so that no row committed later can still appear below it. A cursor set from
 * the database clock ({@code now()} in a default or trigger) is never older than its transaction's start, so reading
 * only {@code cursor < min(xact_start)} of the transactions still in flight never skips a late commit.
 */
public class Horizon {
    private static final Logger LOG = LoggerFactory.getLogger(Horizon.class);
    private static final String CAN_SEE_ALL = "SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') "
            + "FROM pg_roles WHERE rolname = current_user";
    private static final String HORIZON = """
            SELECT CAST(h AS text), CAST(h AT TIME ZONE (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone') AS text)
            FROM (SELECT least(clock_timestamp(), min(a.xact_start)) - make_interval(secs => ?) AS h
                  FROM pg_stat_activity a
                  WHERE a.datname = current_database() AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL
                    AND a.pid <> pg_backend_pid() AND a.application_name <> 'pg-turso-sync') s""";

    private final JdbcTemplate source;
    private final boolean enabled;
    private final double safetyLagSeconds;
    private final double fallbackLagSeconds;
    private volatile Boolean canSeeAll;

    public Horizon(JdbcTemplate source, boolean enabled, long safetyLagMillis, long fallbackLagMillis) {
        this.source = source;
        this.enabled = enabled;
        this.safetyLagSeconds = safetyLagMillis / 1000.0;
        this.fallbackLagSeconds = fallbackLagMillis / 1000.0;
    }

    /** Whether the horizon applies to this table: on, timestamp mode, timestamp or timestamptz cursor. */
    public boolean appliesTo(TableSpec spec) {
        return enabled && spec.mode() == SyncMode.TIMESTAMP && spec.cursor() != null
                && (spec.cursor().kind() == ColumnKind.TIMESTAMPTZ || spec.cursor().kind() == ColumnKind.TIMESTAMP);
    }

    /** The horizon for a pass of {@code spec}, as Postgres text of the cursor's type, or null when it does not apply. */
    public String current(TableSpec spec) {
        if (!appliesTo(spec)) {
            return null;
        }
        double lag = safetyLagSeconds + (canSeeAllTransactions() ? 0 : fallbackLagSeconds);
        List<String> row = source.queryForObject(HORIZON, (rs, i) -> List.of(rs.getString(1), rs.getString(2)), lag);
        return spec.cursor().kind() == ColumnKind.TIMESTAMPTZ ? row.get(0) : row.get(1);
    }

    /** Whether this role sees other roles' transactions (superuser or member of pg_read_all_stats); warns once if not. */
    public boolean canSeeAllTransactions() {
        Boolean can = canSeeAll;
        if (can == null) {
            can = Boolean.TRUE.equals(source.queryForObject(CAN_SEE_ALL, Boolean.class));
            canSeeAll = can;
            if (!can && enabled) {
                LOG.warn("The Postgres role cannot see other sessions' transactions: rows are read only once their cursor is {} s old "
                        + "(sync.horizon.fallback-lag-ms), and a row committed by a transaction open longer than that is skipped "
                        + "without any error (verify finds it). Fix: GRANT pg_read_all_stats TO {}. Then every open transaction "
                        + "holds back newer rows until it ends, so keep transactions short", fallbackLagSeconds,
                        source.queryForObject("SELECT current_user", String.class));
            }
        }
        return can;
    }
}
