package io.pgturso.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Builds the connection pools for Postgres and for the target. */
public final class DataSources {
    /** Session settings that make Postgres' text output of dates, times and floats exact and zone-independent. */
    public static final String SOURCE_SESSION = "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; "
            + "SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3";

    private DataSources() {
    }

    /** The Postgres pool; connections are opened lazily, so a bad URL is reported by the start-up check, not here. */
    public static HikariDataSource source(PostgresUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("postgres");
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        config.setConnectionInitSql(SOURCE_SESSION);
        config.setReadOnly(true);
        config.addDataSourceProperty("ApplicationName", "pg-turso-sync");
        config.addDataSourceProperty("connectTimeout", "10");
        return new HikariDataSource(config);
    }

    /** Unpooled Postgres sessions for the per-table locks: closing a session ends its locks, whatever happened before. */
    public static DataSource lockSessions(PostgresUrl url) {
        PGSimpleDataSource sessions = new PGSimpleDataSource();
        sessions.setURL(url.jdbcUrl());
        sessions.setUser(url.user());
        sessions.setPassword(url.password());
        sessions.setReadOnly(true);
        sessions.setApplicationName("pg-turso-sync");
        sessions.setConnectTimeout(10);
        return sessions;
    }

    /** The target pool: one connection for a local file (SQLite has one writer), a few for a Turso server. */
    public static HikariDataSource target(TargetUrl url, String authToken, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("target");
        config.setJdbcUrl(url.jdbcUrl());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(30_000);
        if (url.isFile()) {
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", "30000");
        } else if (authToken != null) {
            config.addDataSourceProperty("authToken", authToken);
        }
        return new HikariDataSource(config);
    }
}
