package io.pgturso.source;

import io.pgturso.types.ColumnKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
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
    /** The horizon as text of a timestamptz, or (cast in the session's zone) of a timestamp: {@code %s} is the cast. */
    private static final String HORIZON = """
            SELECT CAST(CAST(h AS %s) AS text)
            FROM (SELECT least(clock_timestamp(), min(a.xact_start)) - make_interval(secs => ?) AS h
                  FROM pg_stat_activity a
                  WHERE a.datname = current_database() AND a.backend_type = 'client backend' AND a.xact_start IS NOT NULL
                    AND a.pid <> pg_backend_pid() AND a.application_name <> 'pg-turso-sync'
                    AND a.application_name NOT LIKE 'pg-turso-sync %%') s""";

    private final JdbcTemplate source;
    private final boolean enabled;
    private final double safetyLagSeconds;
    private final double fallbackLagSeconds;
    private final String configuredZone;
    private volatile Boolean canSeeAll;
    private volatile String writerZone;

    public Horizon(JdbcTemplate source, boolean enabled, long safetyLagMillis, long fallbackLagMillis) {
        this(source, enabled, safetyLagMillis, fallbackLagMillis, null);
    }

    /** {@code writerZone}: sync.horizon.time-zone, the zone of the writers of timestamp cursors, or null for the database's. */
    public Horizon(JdbcTemplate source, boolean enabled, long safetyLagMillis, long fallbackLagMillis, String writerZone) {
        this.source = source;
        this.enabled = enabled;
        this.safetyLagSeconds = safetyLagMillis / 1000.0;
        this.fallbackLagSeconds = fallbackLagMillis / 1000.0;
        this.configuredZone = writerZone == null || writerZone.isBlank() ? null : writerZone;
    }

    /** Whether the horizon applies to this table: on, timestamp mode, timestamp or timestamptz cursor. */
    public boolean appliesTo(TableSpec spec) {
        return enabled && spec.mode() == SyncMode.TIMESTAMP && spec.cursor() != null
                && (spec.cursor().kind() == ColumnKind.TIMESTAMPTZ || spec.cursor().kind() == ColumnKind.TIMESTAMP);
    }

    /** Whether the horizon applies and the cursor holds local time (timestamp without time zone), so it needs the writers' zone. */
    public boolean readsLocalTime(TableSpec spec) {
        return appliesTo(spec) && spec.cursor().kind() == ColumnKind.TIMESTAMP;
    }

    /** The horizon for a pass of {@code spec}, as Postgres text of the cursor's type, or null when it does not apply. */
    public String current(TableSpec spec) {
        if (!appliesTo(spec)) {
            return null;
        }
        double lag = safetyLagSeconds + (canSeeAllTransactions() ? 0 : fallbackLagSeconds);
        if (!readsLocalTime(spec)) {
            return source.queryForObject(HORIZON.formatted("timestamptz"), String.class, lag);
        }
        String zone = writerZone(List.of(spec));
        return source.execute((ConnectionCallback<String>) c -> localTime(c, zone, lag));
    }

    /**
     * The zone the writers of {@code tables}' timestamp cursors use (resolved once); a {@link io.pgturso.config.ConfigException}
     * naming the fix when it cannot be known.
     */
    public String writerZone(List<TableSpec> tables) {
        String zone = writerZone;
        if (zone == null) {
            zone = WriterZone.resolve(source, configuredZone, tables);
            writerZone = zone;
        }
        return zone;
    }

    /** The horizon as the writers' now() would write it: cast to timestamp in their zone, set for this transaction only. */
    private static String localTime(Connection c, String zone, double lag) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement set = c.prepareStatement(WriterZone.SET_LOCAL);
                PreparedStatement horizon = c.prepareStatement(HORIZON.formatted("timestamp"))) {
            set.setString(1, zone);
            set.executeQuery().close();
            horizon.setDouble(1, lag);
            String h;
            try (ResultSet rs = horizon.executeQuery()) {
                rs.next();
                h = rs.getString(1);
            }
            c.commit();
            return h;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
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
