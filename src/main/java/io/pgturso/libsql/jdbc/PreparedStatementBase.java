package io.pgturso.libsql.jdbc;

import io.pgturso.libsql.hrana.Value;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;

/** The stream and LOB setter variants, each reduced to one value; and the SQL-text calls a prepared statement refuses. */
abstract class PreparedStatementBase extends LibsqlStatement implements PreparedStatement {

    PreparedStatementBase(LibsqlConnection connection) {
        super(connection);
    }

    abstract void set(int index, Value value) throws SQLException;

    private static SQLException sqlGivenAlready() {
        return new SQLException("a prepared statement runs its own SQL: call the method without a SQL argument",
                "HY000");
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        throw sqlGivenAlready();
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        throw sqlGivenAlready();
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        throw sqlGivenAlready();
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        throw sqlGivenAlready();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw sqlGivenAlready();
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        set(index, Value.of(x));
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long length) throws SQLException {
        Value bytes = x == null ? Value.NULL : Parameters.ofStream(x, length);
        set(index, bytes instanceof Value.BlobValue blob
                ? Value.of(new String(blob.value(), StandardCharsets.US_ASCII)) : bytes);
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int length) throws SQLException {
        setAsciiStream(index, x, (long) length);
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        setAsciiStream(index, x, -1L);
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int index, InputStream x, int length) throws SQLException {
        Value bytes = x == null ? Value.NULL : Parameters.ofStream(x, length);
        set(index, bytes instanceof Value.BlobValue blob
                ? Value.of(new String(blob.value(), StandardCharsets.UTF_8)) : bytes);
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int length) throws SQLException {
        setBinaryStream(index, x, (long) length);
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        setBinaryStream(index, x, -1L);
    }

    @Override
    public void setCharacterStream(int index, Reader x, int length) throws SQLException {
        setCharacterStream(index, x, (long) length);
    }

    @Override
    public void setCharacterStream(int index, Reader x) throws SQLException {
        setCharacterStream(index, x, -1L);
    }

    @Override
    public void setNCharacterStream(int index, Reader x, long length) throws SQLException {
        setCharacterStream(index, x, length);
    }

    @Override
    public void setNCharacterStream(int index, Reader x) throws SQLException {
        setCharacterStream(index, x, -1L);
    }

    @Override
    public void setBlob(int index, InputStream x, long length) throws SQLException {
        setBinaryStream(index, x, length);
    }

    @Override
    public void setBlob(int index, InputStream x) throws SQLException {
        setBinaryStream(index, x, -1L);
    }

    @Override
    public void setClob(int index, Reader x, long length) throws SQLException {
        setCharacterStream(index, x, length);
    }

    @Override
    public void setClob(int index, Reader x) throws SQLException {
        setCharacterStream(index, x, -1L);
    }

    @Override
    public void setNClob(int index, Reader x, long length) throws SQLException {
        setCharacterStream(index, x, length);
    }

    @Override
    public void setNClob(int index, Reader x) throws SQLException {
        setCharacterStream(index, x, -1L);
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        throw SqlErrors.unsupported("setRef");
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        throw SqlErrors.unsupported("setArray");
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        throw SqlErrors.unsupported("setRowId");
    }

    @Override
    public void setSQLXML(int index, SQLXML x) throws SQLException {
        throw SqlErrors.unsupported("setSQLXML");
    }
}
