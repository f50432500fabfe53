package io.pgturso.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.config.PostgresUrl;
import io.pgturso.config.TargetUrl;
import io.pgturso.source.SourceSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Builds the connection pools for Postgres and for the target. */
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

    /** The target pool: one connection for a local file (SQLite has one writer), a few for a Turso server. */
    public static HikariDataSource target(TargetUrl url, String authToken, int poolSize) {
        return target(url, authToken, poolSize, null);
    }

    /** As above; an HTTP target's connections tell {@code requestListener} (a registered name, or null) of their requests. */
    public static HikariDataSource target(TargetUrl url, String authToken, int poolSize, String requestListener) {
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
        } else {
            // the token goes as the password, which Hikari masks in its logs; the driver takes it as the token
            if (authToken != null) {
                config.setPassword(authToken);
            }
            // the sync's writes are guarded upserts and deletes: sending one again after an unknown outcome is safe
            config.addDataSourceProperty("retryAmbiguousWrites", "true");
            // ... and need no atomicity: a page too large for one request is committed in several
            config.addDataSourceProperty("splitTransactions", "true");
            if (requestListener != null) {
                config.addDataSourceProperty("requestListener", requestListener);
            }
        }
        if (url.isFile()) {
            Path file = Path.of(url.jdbcUrl().substring("jdbc:sqlite:".length()));
            // created on the first connection only, so a start refused by its checks leaves no file behind
            return new HikariDataSource(config) {
                @Override
                public java.sql.Connection getConnection() throws java.sql.SQLException {
                    createOwnerOnly(file);
                    return super.getConnection();
                }
            };
        }
        return new HikariDataSource(config);
    }

    /** A new target file is readable by its owner only (SQLite gives its WAL and journal files the same mode). */
    static void createOwnerOnly(Path file) {
        if (Files.exists(file) || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // created meanwhile: keep it as it is
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the target file " + file + ": " + e.getMessage(), e);
        }
    }
}
