package io.pgturso.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What start-up checks before streaming, each problem one line with its fix: the server decodes its WAL, the role may
 * replicate, the tables can be identified in updates and deletes, the publication exists or can be created, the slot
 * is usable or can be created. Nothing is changed here.
 */
public final class ReplicationChecks {

    /** Problems refuse the start; warnings are logged. */
    public record Result(List<String> problems, List<String> warnings) {
        public Result {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ReplicationChecks() {
    }

    /** Runs every check on an ordinary session. */
    public static Result run(Connection connection, ReplicationSpec spec) throws SQLException {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int version = intQuery(connection, "SELECT current_setting('server_version_num')::int");
        if (version < 110_000) {
            problems.add("Postgres " + version / 10_000 + " cannot stream changes with pgoutput: use Postgres 11 or later");
            return new Result(problems, warnings);
        }
        server(connection, version, problems, warnings);
        role(connection, problems);
        List<SourceTable> tables = tables(connection, spec, problems);
        Publications.check(connection, spec.publication(), tables, problems);
        ReplicationSlots.check(connection, spec.slot(), version, problems);
        return new Result(problems, warnings);
    }

    private static void server(Connection connection, int version, List<String> problems, List<String> warnings)
            throws SQLException {
        String walLevel = stringQuery(connection, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            problems.add("wal_level is '" + walLevel + "', streaming needs 'logical': run ALTER SYSTEM SET wal_level = "
                    + "logical and restart Postgres (on a managed service, turn on its logical replication parameter)");
        }
        if (intQuery(connection, "SELECT current_setting('max_wal_senders')::int") == 0) {
            problems.add("max_wal_senders is 0, so no replication connection is allowed: run ALTER SYSTEM SET "
                    + "max_wal_senders = 10 and restart Postgres");
        }
        if (version >= 130_000 && "-1".equals(stringQuery(connection, "SELECT current_setting('max_slot_wal_keep_size')"))) {
            warnings.add("max_slot_wal_keep_size is unlimited (-1): while the stream is stopped its slot keeps all WAL "
                    + "and can fill the disk; cap it with ALTER SYSTEM SET max_slot_wal_keep_size = '10GB' and "
                    + "SELECT pg_reload_conf()");
        }
    }

    private static void role(Connection connection, List<String> problems) throws SQLException {
        String sql = """
                SELECT current_user, r.rolsuper OR r.rolreplication OR EXISTS (SELECT 1 FROM pg_roles g
                       WHERE g.rolname = 'rds_replication' AND pg_has_role(current_user, g.oid, 'MEMBER'))
                FROM pg_roles r WHERE r.rolname = current_user""";
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (rs.next() && !rs.getBoolean(2)) {
                String role = Identifiers.sql(rs.getString(1));
                problems.add("Role " + role + " may not stream changes (no REPLICATION attribute): as a superuser run "
                        + "ALTER ROLE " + role + " WITH REPLICATION");
            }
        }
    }

    private static List<SourceTable> tables(Connection connection, ReplicationSpec spec, List<String> problems)
            throws SQLException {
        List<SourceTable> found = new ArrayList<>();
        for (String given : spec.tables()) {
            Optional<SourceTable> table = SourceTable.find(connection, given);
            if (table.isEmpty()) {
                problems.add("Table '" + given + "' does not exist (or this role cannot see it): create it, or fix "
                        + "the table name");
            } else if (table.get().kind() != 'r' && table.get().kind() != 'p') {
                problems.add("'" + given + "' is not a table: only tables can be streamed");
            } else {
                found.add(table.get());
                table.get().identityProblem().ifPresent(problems::add);
            }
        }
        return found;
    }

    static int intQuery(Connection connection, String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static String stringQuery(Connection connection, String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
