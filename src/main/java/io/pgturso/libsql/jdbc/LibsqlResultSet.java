package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Column;
import io.pgturso.libsql.hrana.Value;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Calendar;
import java.util.List;
import java.util.Map;

/** The rows of one result, held whole in memory (the server sends them in one response); forward-only, read-only. */
public final class LibsqlResultSet extends ResultSetByLabel {

    private final LibsqlStatement statement;
    private final List<Column> columns;
    private final List<List<Value>> rows;
    private int row = -1;
    private boolean wasNull;
    private boolean closed;

    LibsqlResultSet(LibsqlStatement statement, List<Column> columns, List<List<Value>> rows) {
        this.statement = statement;
        this.columns = columns;
        this.rows = rows;
    }

    @Override
    void checkOpen() throws SQLException {
        if (closed) {
            throw SqlErrors.closed("ResultSet");
        }
    }

    /** The value in the current row, remembering whether it was NULL for {@link #wasNull()}. */
    private Value value(int columnIndex) throws SQLException {
        checkOpen();
        if (row < 0 || row >= rows.size()) {
            throw new SQLException("no current row: call next() first and check that it returned true", "24000");
        }
        if (columnIndex < 1 || columnIndex > columns.size()) {
            throw new SQLException("column index " + columnIndex + " is out of range 1.." + columns.size(), "07009");
        }
        Value value = rows.get(row).get(columnIndex - 1);
        wasNull = value instanceof Value.NullValue;
        return value;
    }

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (row < rows.size()) {
            row++;
        }
        return row < rows.size();
    }

    @Override
    public void close() {
        closeQuietly();
        if (statement != null) {
            statement.resultSetClosed(this);
        }
    }

    void closeQuietly() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    @Override
    public int findColumn(String columnLabel) throws SQLException {
        checkOpen();
        for (int i = 0; i < columns.size(); i++) {
            if (columnLabel.equalsIgnoreCase(columns.get(i).name())) {
                return i + 1;
            }
        }
        throw new SQLException("no column named " + columnLabel + " in the result", "42S22");
    }

    @Override
    public String getString(int columnIndex) throws SQLException {
        return ColumnValues.string(value(columnIndex));
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        return getString(columnIndex);
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        return ColumnValues.bool(value(columnIndex));
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        return (byte) ColumnValues.wholeNumber(value(columnIndex), Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        return (short) ColumnValues.wholeNumber(value(columnIndex), Short.MIN_VALUE, Short.MAX_VALUE);
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        return (int) ColumnValues.wholeNumber(value(columnIndex), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        return ColumnValues.wholeNumber(value(columnIndex), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        return (float) ColumnValues.real(value(columnIndex));
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        return ColumnValues.real(value(columnIndex));
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        return ColumnValues.decimal(value(columnIndex));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        BigDecimal decimal = getBigDecimal(columnIndex);
        return decimal == null ? null : decimal.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        return ColumnValues.bytes(value(columnIndex));
    }

    @Override
    public Date getDate(int columnIndex) throws SQLException {
        LocalDate date = ColumnValues.localDate(value(columnIndex));
        return date == null ? null : Date.valueOf(date);
    }

    @Override
    public Date getDate(int columnIndex, Calendar calendar) throws SQLException {
        Instant instant = ColumnValues.instant(value(columnIndex), calendar.getTimeZone().toZoneId());
        return instant == null ? null : new Date(instant.toEpochMilli());
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        LocalTime time = ColumnValues.localTime(value(columnIndex));
        return time == null ? null : Time.valueOf(time);
    }

    @Override
    public Time getTime(int columnIndex, Calendar calendar) throws SQLException {
        LocalTime time = ColumnValues.localTime(value(columnIndex));
        return time == null ? null : new Time(time.atDate(LocalDate.EPOCH)
                .atZone(calendar.getTimeZone().toZoneId()).toInstant().toEpochMilli());
    }

    /** Text with an offset is that moment; text without one is a local date-time, as JDBC's TIMESTAMP is. */
    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        Value value = value(columnIndex);
        if (value instanceof Value.TextValue text && hasOffset(text.value())) {
            return Timestamp.from(ColumnValues.instant(value, java.time.ZoneOffset.UTC));
        }
        LocalDateTime local = ColumnValues.localDateTime(value);
        return local == null ? null : Timestamp.valueOf(local);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar calendar) throws SQLException {
        Instant instant = ColumnValues.instant(value(columnIndex), calendar.getTimeZone().toZoneId());
        return instant == null ? null : Timestamp.from(instant);
    }

    private static boolean hasOffset(String text) {
        String t = text.strip();
        return t.endsWith("Z") || t.length() > 19 && (t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10);
    }

    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        String text = getString(columnIndex);
        return text == null ? null : new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        byte[] bytes = getBytes(columnIndex);
        return bytes == null ? null : new ByteArrayInputStream(bytes);
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        String text = getString(columnIndex);
        return text == null ? null : new StringReader(text);
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        return getCharacterStream(columnIndex);
    }

    /** Long, Double, String, byte[] or null, as stored. */
    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return ColumnValues.object(value(columnIndex));
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        return getObject(columnIndex);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        Value value = value(columnIndex);
        if (wasNull && !type.isPrimitive()) {
            return null;
        }
        // Primitive classes come back boxed, which is what callers of getObject(i, int.class) receive anyway.
        return (T) convert(columnIndex, value, type);
    }

    private Object convert(int columnIndex, Value value, Class<?> type) throws SQLException {
        String name = type.getName();
        switch (name) {
            case "java.lang.String": return getString(columnIndex);
            case "java.lang.Long", "long": return getLong(columnIndex);
            case "java.lang.Integer", "int": return getInt(columnIndex);
            case "java.lang.Short", "short": return getShort(columnIndex);
            case "java.lang.Byte", "byte": return getByte(columnIndex);
            case "java.lang.Double", "double": return getDouble(columnIndex);
            case "java.lang.Float", "float": return getFloat(columnIndex);
            case "java.lang.Boolean", "boolean": return getBoolean(columnIndex);
            case "java.math.BigDecimal": return getBigDecimal(columnIndex);
            case "[B": return getBytes(columnIndex);
            case "java.sql.Date": return getDate(columnIndex);
            case "java.sql.Time": return getTime(columnIndex);
            case "java.sql.Timestamp": return getTimestamp(columnIndex);
            case "java.time.LocalDate": return ColumnValues.localDate(value);
            case "java.time.LocalTime": return ColumnValues.localTime(value);
            case "java.time.LocalDateTime": return ColumnValues.localDateTime(value);
            case "java.time.OffsetDateTime": return ColumnValues.offsetDateTime(value);
            case "java.time.Instant": return ColumnValues.instant(value, java.time.ZoneOffset.UTC);
            case "java.util.UUID": return ColumnValues.uuid(value);
            case "java.lang.Object": return getObject(columnIndex);
            default:
                throw SqlErrors.unsupported("getObject as " + name);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return new LibsqlResultSetMetaData(columns, rows);
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkOpen();
        return statement;
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return row < 0 && !rows.isEmpty();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return row >= rows.size() && !rows.isEmpty();
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return row == 0 && !rows.isEmpty();
    }

    @Override
    public boolean isLast() throws SQLException {
        checkOpen();
        return row == rows.size() - 1 && !rows.isEmpty();
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return row >= 0 && row < rows.size() ? row + 1 : 0;
    }

}
