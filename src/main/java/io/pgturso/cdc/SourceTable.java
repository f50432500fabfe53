package io.pgturso.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A table named for streaming, as Postgres resolved the name, with what decides whether its updates and deletes can
 * be streamed (its replica identity) and whether this role may add it to a publication (ownership).
 *
 * @param given           the name as configured
 * @param replicaIdentity {@code relreplident}: {@code d} default (primary key), {@code n} nothing, {@code f} full,
 *                        {@code i} index
 * @param identityIndex   a {@code REPLICA IDENTITY USING INDEX} index exists
 * @param owned           the current role owns the table (directly or by membership)
 */
record SourceTable(String given, long oid, String schema, String name, char kind, char replicaIdentity,
        boolean primaryKey, boolean identityIndex, boolean owned) {

    private static final String FIND = """
            SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.relreplident::text,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary),
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident),
                   pg_has_role(c.relowner, 'USAGE')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = to_regclass(?)""";

    /** The table, if the name resolves (as an unquoted name resolves: lower-cased, on the search path). */
    static Optional<SourceTable> find(Connection connection, String given) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(FIND)) {
            ps.setString(1, given);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SourceTable(given, rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4).charAt(0), rs.getString(5).charAt(0), rs.getBoolean(6), rs.getBoolean(7),
                        rs.getBoolean(8)));
            }
        } catch (SQLException e) {
            if ("42602".equals(e.getSQLState()) || "42601".equals(e.getSQLState())) {
                return Optional.empty(); // not a valid name at all: reported as not found
            }
            throw e;
        }
    }

    /** {@code schema.name} as SQL. */
    String sql() {
        return Identifiers.sql(schema, name);
    }

    /** Why its updates and deletes could not be streamed, with the fix; empty when they can. */
    Optional<String> identityProblem() {
        String table = sql();
        String fix = "add a primary key, or run ALTER TABLE " + table + " REPLICA IDENTITY FULL";
        return switch (replicaIdentity) {
            case 'f' -> Optional.empty();
            case 'd' -> primaryKey ? Optional.empty()
                    : Optional.of("Table " + table + " has neither a primary key nor REPLICA IDENTITY FULL, so its "
                            + "updates and deletes cannot be streamed: " + fix);
            case 'i' -> identityIndex ? Optional.empty()
                    : Optional.of("Table " + table + " has REPLICA IDENTITY USING INDEX but the index is gone: " + fix);
            default -> Optional.of("Table " + table + " has REPLICA IDENTITY NOTHING, so its updates and deletes "
                    + "cannot be streamed: " + (primaryKey ? "run ALTER TABLE " + table + " REPLICA IDENTITY DEFAULT" : fix));
        };
    }
}
