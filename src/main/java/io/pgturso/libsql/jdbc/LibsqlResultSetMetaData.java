package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Column;
import io.pgturso.libsql.hrana.Value;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** Column names and types of a result; types come from the declared type, else from the first row's value. */
final class LibsqlResultSetMetaData implements ResultSetMetaData {

    private final List<Column> columns;
    private final List<List<Value>> rows;

    LibsqlResultSetMetaData(List<Column> columns, List<List<Value>> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    private Column column(int index) throws SQLException {
        if (index < 1 || index > columns.size()) {
            throw new SQLException("column index " + index + " is out of range 1.." + columns.size(), "07009");
        }
        return columns.get(index - 1);
    }

    @Override
    public int getColumnCount() {
        return columns.size();
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        String name = column(column).name();
        return name == null ? "column" + column : name;
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return getColumnLabel(column);
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        Value sample = rows.isEmpty() ? Value.NULL : rows.get(0).get(column - 1);
        return DeclaredTypes.jdbcType(column(column).decltype(), sample);
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        String decltype = column(column).decltype();
        return decltype != null && !decltype.isBlank() ? decltype : DeclaredTypes.name(getColumnType(column));
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        return DeclaredTypes.className(getColumnType(column));
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        column(column);
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        return getColumnType(column) == Types.VARCHAR;
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        column(column);
        return true;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        column(column);
        return false;
    }

    @Override
    public int isNullable(int column) throws SQLException {
        column(column);
        return columnNullableUnknown;
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        int type = getColumnType(column);
        return type == Types.BIGINT || type == Types.DOUBLE || type == Types.NUMERIC || type == Types.DECIMAL;
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        column(column);
        return Integer.MAX_VALUE;
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        column(column);
        return "";
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        column(column);
        return 0;
    }

    @Override
    public int getScale(int column) throws SQLException {
        column(column);
        return 0;
    }

    @Override
    public String getTableName(int column) throws SQLException {
        column(column);
        return "";
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        column(column);
        return "";
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        column(column);
        return true;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        column(column);
        return false;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        column(column);
        return false;
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return Wrappers.unwrap(this, type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
