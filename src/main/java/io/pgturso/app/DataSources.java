package io.pgturso.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.config.PostgresUrl;
import io.pgturso.source.SourceSession;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Builds the connections to Postgres: the pool, and the per-table locks' sessions (the target's pool: {@code TargetKind}). */
public final class DataSources {
    /** Every statement read-only, in autocommit too: pgjdbc's setReadOnly alone covers explicit transactions only. */
    private static final String READ_ONLY = "SET default_transaction_read_only = on";

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
        config.setConnectionInitSql(SourceSession.SETTINGS + "; " + READ_ONLY);
        config.setReadOnly(true);
        config.addDataSourceProperty("readOnlyMode", "always");
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
        sessions.setReadOnlyMode("always");
        sessions.setApplicationName("pg-turso-sync");
        sessions.setConnectTimeout(10);
        return sessions;
    }
}
