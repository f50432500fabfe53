package io.pgturso.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The publication that names the streamed tables: checked, created or completed when this role may, and dropped. */
final class Publications {
    private static final String ACTIONS = "insert, update, delete, truncate";

    private Publications() {
    }

    /** What a publication is now. */
    private record State(boolean allTables, boolean allActions, boolean owned, Set<Long> tables) {
    }

    static void check(Connection connection, String publication, List<SourceTable> tables, List<String> problems)
            throws SQLException {
        String name = Identifiers.sql(publication);
        State state = state(connection, publication);
        if (state == null) {
            boolean mayCreate = ReplicationChecks.intQuery(connection,
                    "SELECT has_database_privilege(current_database(), 'CREATE')::int") == 1;
            if (!mayCreate || tables.stream().anyMatch(t -> !t.owned())) {
                problems.add("Publication " + name + " does not exist and this role may not create it (that needs "
                        + "CREATE on the database and owning the tables): as their owner run CREATE PUBLICATION " + name
                        + forTables(tables) + " WITH (publish = '" + ACTIONS + "')");
            }
            return;
        }
        List<SourceTable> missing = missing(state, tables);
        if (!missing.isEmpty() && (!state.owned() || missing.stream().anyMatch(t -> !t.owned()))) {
            problems.add("Publication " + name + " does not include " + sqlList(missing) + " and this role may not add "
                    + (missing.size() == 1 ? "it" : "them") + ": as their owner run ALTER PUBLICATION " + name
                    + " ADD TABLE " + sqlList(missing));
        }
        if (!state.allActions() && !state.owned()) {
            problems.add("Publication " + name + " does not publish every kind of change: as its owner run ALTER "
                    + "PUBLICATION " + name + " SET (publish = '" + ACTIONS + "')");
        }
    }

    /** Creates the publication, or adds the missing tables and change kinds to it; returns what it did, for the log. */
    static List<String> ensure(Connection connection, String publication, List<SourceTable> tables) throws SQLException {
        String name = Identifiers.sql(publication);
        List<String> done = new ArrayList<>();
        State state = state(connection, publication);
        try (Statement s = connection.createStatement()) {
            if (state == null) {
                String sql = "CREATE PUBLICATION " + name + forTables(tables) + " WITH (publish = '" + ACTIONS + "')";
                s.execute(sql);
                done.add(sql);
                return done;
            }
            List<SourceTable> missing = missing(state, tables);
            if (!missing.isEmpty()) {
                String sql = "ALTER PUBLICATION " + name + " ADD TABLE " + sqlList(missing);
                s.execute(sql);
                done.add(sql);
            }
            if (!state.allActions()) {
                String sql = "ALTER PUBLICATION " + name + " SET (publish = '" + ACTIONS + "')";
                s.execute(sql);
                done.add(sql);
            }
        }
        return done;
    }

    static boolean drop(Connection connection, String publication) throws SQLException {
        boolean exists = state(connection, publication) != null;
        try (Statement s = connection.createStatement()) {
            s.execute("DROP PUBLICATION IF EXISTS " + Identifiers.sql(publication));
        }
        return exists;
    }

    private static State state(Connection connection, String publication) throws SQLException {
        String sql = """
                SELECT p.puballtables, p.pubinsert AND p.pubupdate AND p.pubdelete AND p.pubtruncate,
                       pg_has_role(p.pubowner, 'USAGE'),
                       ARRAY(SELECT (quote_ident(t.schemaname) || '.' || quote_ident(t.tablename))::regclass::oid::bigint
                             FROM pg_publication_tables t WHERE t.pubname = p.pubname)
                FROM pg_publication p WHERE p.pubname = ?""";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Set<Long> tables = new HashSet<>();
                for (Object oid : (Object[]) rs.getArray(4).getArray()) {
                    tables.add(((Number) oid).longValue());
                }
                return new State(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), tables);
            }
        }
    }

    private static List<SourceTable> missing(State state, List<SourceTable> tables) {
        return state.allTables() ? List.of() : tables.stream().filter(t -> !state.tables().contains(t.oid())).toList();
    }

    private static String forTables(List<SourceTable> tables) {
        return tables.isEmpty() ? "" : " FOR TABLE " + sqlList(tables);
    }

    private static String sqlList(List<SourceTable> tables) {
        return tables.stream().map(SourceTable::sql).collect(Collectors.joining(", "));
    }
}
