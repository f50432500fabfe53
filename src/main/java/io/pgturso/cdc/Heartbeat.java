package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes a little WAL in the streamed database so that the stream moves on when its tables are quiet: the reader then
 * gets a keepalive further on and confirms it, and the slot stops holding back the WAL others write.
 */
public final class Heartbeat {
    /** The prefix of the heartbeat messages (not streamed unless the stream asks for messages). */
    public static final String PREFIX = "pg-turso-sync";

    private Heartbeat() {
    }

    /** Emits one non-transactional logical message; returns its position. */
    public static long emit(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_logical_emit_message(false, '" + PREFIX + "', 'heartbeat')::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }
}
