package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Value;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * A statement with positional {@code ?} parameters. Its batch is sent as multi-row INSERTs when the SQL is a
 * single-row INSERT (see {@link MultiRowInsert}), else one step per row.
 */
public final class LibsqlPreparedStatement extends PreparedStatementBase {

    private final ParsedSql parsed;
    private final Value[] parameters;

    LibsqlPreparedStatement(LibsqlConnection connection, String sql) {
        super(connection);
        this.parsed = ParsedSql.of(sql);
        this.parameters = new Value[parsed.parameterCount()];
    }

    @Override
    void set(int index, Value value) throws SQLException {
        checkOpen();
        if (index < 1 || index > parameters.length) {
            throw new SQLException("parameter index " + index + " is out of range 1.." + parameters.length
                    + " for this statement", "07009");
        }
        parameters[index - 1] = value;
    }

    private List<Value> bound() throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                throw new SQLException("parameter " + (i + 1) + " of " + parameters.length + " is not set", "07001");
            }
        }
        return List.of(parameters); // one copy, which the batch entry keeps as it is
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        if (!run(parsed, bound())) {
            throw new SQLException("the statement returned no rows; use executeUpdate or execute", "02000");
        }
        return getResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) executeLargeUpdate();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        if (run(parsed, bound())) {
            throw new SQLException("the statement returned rows; use executeQuery or execute", "0100D");
        }
        return getLargeUpdateCount();
    }

    @Override
    public boolean execute() throws SQLException {
        return run(parsed, bound());
    }

    @Override
    public void addBatch() throws SQLException {
        addBatchEntry(new BoundStatement(parsed, bound()));
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        Arrays.fill(parameters, null);
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        checkOpen();
        return new LibsqlParameterMetaData(parameters.length);
    }

    /** The metadata of the current result; null before execution, as JDBC allows (it would take a round trip). */
    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        ResultSet current = getResultSet();
        return current == null ? null : current.getMetaData();
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        set(index, Value.NULL);
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        set(index, Value.NULL);
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        set(index, Value.of(x ? 1L : 0L));
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        set(index, Value.of((long) x));
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        set(index, Value.of((long) x));
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        set(index, Value.of((long) x));
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        set(index, Value.of(x));
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        set(index, Value.of(x));
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        set(index, x == null ? Value.NULL : Value.of(x.clone()));
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setDate(int index, Date x, Calendar calendar) throws SQLException {
        set(index, x == null ? Value.NULL : Parameters.of(x.toInstant().atZone(zone(calendar)).toLocalDate()));
    }

    @Override
    public void setTime(int index, Time x, Calendar calendar) throws SQLException {
        set(index, x == null ? Value.NULL
                : Parameters.of(java.time.Instant.ofEpochMilli(x.getTime()).atZone(zone(calendar)).toLocalTime()));
    }

    /** The moment with the calendar's offset, so the text is unambiguous. */
    @Override
    public void setTimestamp(int index, Timestamp x, Calendar calendar) throws SQLException {
        set(index, x == null ? Value.NULL : Parameters.of(x.toInstant().atZone(zone(calendar)).toOffsetDateTime()));
    }

    private static ZoneId zone(Calendar calendar) {
        return calendar == null ? ZoneId.systemDefault() : calendar.getTimeZone().toZoneId();
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        set(index, Parameters.of(x, targetSqlType));
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        set(index, Parameters.of(x, targetSqlType));
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long length) throws SQLException {
        set(index, x == null ? Value.NULL : Parameters.ofStream(x, length));
    }

    @Override
    public void setCharacterStream(int index, Reader x, long length) throws SQLException {
        set(index, x == null ? Value.NULL : Parameters.ofReader(x, length));
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setNClob(int index, NClob x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public void setURL(int index, URL x) throws SQLException {
        set(index, Parameters.of(x));
    }

    @Override
    public String toString() {
        return "LibsqlPreparedStatement[" + parsed.sql() + "]";
    }
}
