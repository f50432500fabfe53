package io.pgturso.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Questions about the target's schema, asked through {@code sqlite_master} (answered by SQLite and libSQL alike). */
public final class TargetTables {
    private TargetTables() {
    }

    /** Whether the target has a table of this name, compared case-insensitively as SQLite resolves names ({@code tursodb} lists them lower-cased). */
    public static boolean exists(DataSource target, String table) throws SQLException {
        try (Connection c = target.getConnection()) {
            return exists(c, table);
        }
    }

    /** As {@link #exists(DataSource, String)}, on a connection the caller holds. */
    public static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND lower(name) = lower(?)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }
}
