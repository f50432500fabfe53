package io.pgturso.source;

import io.pgturso.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The zone in which the writers' {@code now()} fills a {@code timestamp} (without time zone) cursor: the one named by
 * sync.horizon.time-zone, else the database's own TimeZone. The sync's sessions cannot tell it from their own
 * settings (pgjdbc sends the JVM's zone), nor see the server's reliably, so when the database sets none, or login
 * roles that may write the table set their own, the zone is unknown and the start is refused rather than guessed.
 */
final class WriterZone {
    /** TimeZone set for this database and for everyone (ALTER DATABASE / ROLE ALL ... SET), or for login roles that may write the table. */
    private static final String SETTINGS = """
            SELECT r.rolname, substr(c, strpos(c, '=') + 1)
            FROM pg_db_role_setting s
            CROSS JOIN LATERAL unnest(s.setconfig) AS c
            LEFT JOIN pg_roles r ON r.oid = s.setrole
            WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
              AND lower(split_part(c, '=', 1)) = 'timezone'
              AND (s.setrole = 0 OR r.rolcanlogin AND has_any_column_privilege(r.oid, CAST(? AS regclass), 'INSERT, UPDATE'))
            ORDER BY s.setdatabase, r.rolname""";
    /** Sets the zone for the current transaction only: in autocommit, a check that leaves nothing behind. */
    static final String SET_LOCAL = "SELECT set_config('TimeZone', ?, true)";

    private WriterZone() {
    }

    /** The writers' zone for {@code tables} (for the message), or a {@link ConfigException} naming the fix. */
    static String resolve(JdbcTemplate source, String configured, List<TableSpec> tables) {
        if (configured != null) {
            return checked(source, configured.trim());
        }
        String database = source.queryForObject("SELECT current_database()", String.class);
        String everyone = null;
        Map<String, String> roles = new LinkedHashMap<>();
        for (TableSpec table : tables) {
            // this database's settings come last and win over those for every database
            for (ZoneSetting setting : source.query(SETTINGS, (rs, i) -> new ZoneSetting(rs.getString(1), rs.getString(2)),
                    table.source().qualifiedName())) {
                if (setting.role() == null) {
                    everyone = setting.zone();
                } else {
                    roles.put(setting.role(), setting.zone());
                }
            }
        }
        if (everyone == null) {
            throw unknown(tables, "the database " + database + " sets no TimeZone of its own, so its sessions get the server's, "
                    + "which a client cannot read reliably", "ALTER DATABASE " + database + " SET timezone = 'ZONE' (sessions opened "
                    + "afterwards get it)");
        }
        String zone = everyone;
        List<String> others = roles.entrySet().stream().filter(r -> !r.getValue().equalsIgnoreCase(zone))
                .map(r -> r.getKey() + " (" + r.getValue() + ")").toList();
        if (!others.isEmpty()) {
            throw unknown(tables, "login roles that may write it set a TimeZone of their own: " + String.join(", ", others)
                    + " (the database's is " + zone + ")", "ALTER ROLE name [IN DATABASE " + database + "] RESET timezone");
        }
        return zone;
    }

    /** The configured zone, once Postgres accepts it as a TimeZone. */
    private static String checked(JdbcTemplate source, String zone) {
        try {
            source.queryForObject(SET_LOCAL, String.class, zone);
            return zone;
        } catch (DataAccessException e) {
            if (!"22023".equals(sqlState(e))) {
                throw e;
            }
            throw new ConfigException("sync.horizon.time-zone '" + zone + "' is not a time zone Postgres knows "
                    + "(e.g. America/New_York or UTC; SELECT name FROM pg_timezone_names lists them)");
        }
    }

    private static ConfigException unknown(List<TableSpec> tables, String why, String otherFix) {
        String names = tables.stream().map(t -> t.routeId() + " (cursor " + t.cursor().source() + ")").collect(Collectors.joining(", "));
        return new ConfigException(names + ": a timestamp without time zone cursor holds the writer session's local time, so "
                + "the horizon needs the writers' zone, and it cannot be known: " + why + ". Name it: "
                + "sync.horizon.time-zone = ZONE (e.g. America/New_York), or " + otherFix);
    }

    /** One TimeZone setting: of a login role, or (role null) of everyone. */
    private record ZoneSetting(String role, String zone) {
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
