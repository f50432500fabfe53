package io.pgturso.target;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgturso.config.ConfigException;
import io.pgturso.config.TargetUrl;
import io.pgturso.libsql.hrana.RequestListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A local libSQL/SQLite file: SQLite has one writer, so one connection and one page at a time, with several rows per
 * statement (each statement costs driver calls). The file is created, readable by its owner only, once the start's
 * checks have passed.
 */
final class FileTarget implements TargetKind {
    /** Rows bound to one upsert statement at most. */
    private static final int ROWS_PER_STATEMENT = 50;
    private static final String FIX = " (check sync.target.url / TURSO_DATABASE_URL)";

    private final TargetUrl url;
    private final Path file;

    FileTarget(TargetUrl url) {
        SqliteLibrary.prepare();
        this.url = url;
        this.file = Path.of(url.jdbcUrl().substring("jdbc:sqlite:".length()));
    }

    @Override
    public TargetUrl url() {
        return url;
    }

    @Override
    public int poolSize(int configured) {
        return 1;
    }

    @Override
    public int pagesInFlight(int configured) {
        return 1;
    }

    @Override
    public int rowsPerStatement(int columns) {
        return Math.min(ROWS_PER_STATEMENT, TargetSql.MAX_PARAMETERS / columns);
    }

    @Override
    public Properties login(String authToken, int timeoutSeconds) {
        Properties login = new Properties();
        if (authToken != null) {
            login.setProperty("authToken", authToken);
        }
        return login;
    }

    /** A file's driver sends no requests. */
    @Override
    public String registerRequestListener(Supplier<RequestListener> listener) {
        return null;
    }

    @Override
    public HikariDataSource pool(String authToken, int poolSize, String requestListener) {
        HikariConfig config = TargetPools.config(url, poolSize);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", "30000");
        // created on the first connection only, so a start refused by its checks leaves no file behind
        return new HikariDataSource(config) {
            @Override
            public Connection getConnection() throws SQLException {
                createOwnerOnly(file);
                return super.getConnection();
            }
        };
    }

    /** SQLite commits a transaction whole: the one connection serves. */
    @Override
    public HikariDataSource wholeTransactions(HikariDataSource pool, String authToken, String requestListener) {
        return pool;
    }

    @Override
    public SingleDatabase single(String authToken, int timeoutSeconds, String requestListener) {
        return new SingleFile(file, url.jdbcUrl());
    }

    /** SQLite reads the decimal doubles it is sent exactly. */
    @Override
    public boolean needsExactDoubles(DataSource pool) {
        return false;
    }

    @Override
    public void checkBeforeTables(Runnable reach) {
        // a file is created only once the tables are valid
    }

    /** Refused at once, with its path, if the file cannot be written; its directory is created only now. */
    @Override
    public void checkAfterTables(Runnable reach) {
        Path file = this.file.toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new ConfigException("The target file " + file + " is a directory" + FIX);
        }
        if (Files.exists(file) && (!Files.isWritable(file) || !ownerMayWrite(file))) {
            throw new ConfigException("The target file " + file + " is read-only: make it writable for this user" + FIX);
        }
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("Cannot create the directory of the target file " + file + ": " + e + FIX, e);
        }
        if (!Files.isWritable(dir) || !ownerMayWrite(dir)) {
            throw new ConfigException("The directory of the target file " + file + " is read-only: make it writable for this user"
                    + " (SQLite writes its journal next to the file)" + FIX);
        }
        createOwnerOnly(file);
        reach.run();
    }

    /** The file opened read-only: a file that does not exist is not opened (opening would create it). */
    @Override
    public ReadOnlyTarget readOnly(DataSource pool) {
        if (!Files.exists(file)) {
            return new ReadOnlyTarget("file " + file + " (does not exist yet: the first run creates it)", null);
        }
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        SQLiteDataSource sqlite = new SQLiteDataSource(readOnly);
        sqlite.setUrl(url.jdbcUrl());
        return new ReadOnlyTarget("file " + file, sqlite);
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

    /** Permission bits, which even root's checks should honour: a file marked read-only is not written. */
    private static boolean ownerMayWrite(Path path) {
        try {
            return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return true;
        }
    }
}
