package io.pgturso.libsql.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A {@link DataSource} for a libSQL server: a URL, a token and optional {@link LibsqlProperty} settings. */
public final class LibsqlDataSource implements DataSource {

    private final Properties properties = new Properties();
    private String url;
    private PrintWriter logWriter;
    private int loginTimeoutSeconds;

    public LibsqlDataSource() {
    }

    public LibsqlDataSource(String url, String authToken) {
        setUrl(url);
        setAuthToken(authToken);
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUrl() {
        return LibsqlUrl.redact(url);
    }

    /** The bearer token; null or blank falls back to the TURSO_AUTH_TOKEN environment variable. */
    public void setAuthToken(String authToken) {
        set(LibsqlProperty.AUTH_TOKEN, authToken);
    }

    public void setConnectTimeoutMillis(long millis) {
        set(LibsqlProperty.CONNECT_TIMEOUT_MILLIS, Long.toString(millis));
    }

    public void setRequestTimeoutMillis(long millis) {
        set(LibsqlProperty.REQUEST_TIMEOUT_MILLIS, Long.toString(millis));
    }

    public void setRetryMaxAttempts(int attempts) {
        set(LibsqlProperty.RETRY_MAX_ATTEMPTS, Integer.toString(attempts));
    }

    public void setRetryMaxMillis(long millis) {
        set(LibsqlProperty.RETRY_MAX_MILLIS, Long.toString(millis));
    }

    public void setMaxRowsPerRequest(int rows) {
        set(LibsqlProperty.MAX_ROWS_PER_REQUEST, Integer.toString(rows));
    }

    public void setMaxRequestBytes(long bytes) {
        set(LibsqlProperty.MAX_REQUEST_BYTES, Long.toString(bytes));
    }

    public void setRewriteBatchedInserts(boolean rewrite) {
        set(LibsqlProperty.REWRITE_BATCHED_INSERTS, Boolean.toString(rewrite));
    }

    public void setInlineLiterals(boolean inline) {
        set(LibsqlProperty.INLINE_LITERALS, Boolean.toString(inline));
    }

    /** Lets commit() send a transaction too large for one request as several: for idempotent writes only. */
    public void setSplitTransactions(boolean split) {
        set(LibsqlProperty.SPLIT_TRANSACTIONS, Boolean.toString(split));
    }

    /** Any property of {@link LibsqlProperty} by its key. */
    public void setProperty(String key, String value) {
        if (value == null) {
            properties.remove(key);
        } else {
            properties.setProperty(key, value);
        }
    }

    private void set(LibsqlProperty property, String value) {
        setProperty(property.key(), value);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (url == null) {
            throw new SQLException("LibsqlDataSource has no URL: call setUrl first", "08001");
        }
        Properties merged = new Properties();
        merged.putAll(properties);
        if (loginTimeoutSeconds > 0 && !merged.containsKey(LibsqlProperty.CONNECT_TIMEOUT_MILLIS.key())) {
            merged.setProperty(LibsqlProperty.CONNECT_TIMEOUT_MILLIS.key(), Long.toString(loginTimeoutSeconds * 1000L));
        }
        return new LibsqlConnection(ConnectionSettings.from(url, merged));
    }

    /** The password, when given, is taken as the token (pools pass credentials this way); the user is ignored. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        if (password == null || password.isBlank()) {
            return getConnection();
        }
        LibsqlDataSource withToken = new LibsqlDataSource(url, password);
        properties.forEach((key, value) -> {
            if (!key.equals(LibsqlProperty.AUTH_TOKEN.key())) {
                withToken.setProperty((String) key, (String) value);
            }
        });
        withToken.setLoginTimeout(loginTimeoutSeconds);
        return withToken.getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Used as the connect timeout unless connectTimeoutMillis is set. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw SqlErrors.unsupported("java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return Wrappers.unwrap(this, type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "LibsqlDataSource[" + getUrl() + "]";
    }
}
