package io.pgturso.tenant;

import io.pgturso.source.TableSpec;
import io.pgturso.target.CheckpointStore;
import io.pgturso.target.SingleDatabase;
import io.pgturso.target.TargetSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A new tenant file is a copy of an empty database that already holds every fan-out table, made once per process (and
 * again when the tables change): made with SQL, each new file costs the switch to WAL and a CREATE TABLE per table,
 * synced writes of about 50 ms on a shared disk; the copy is one write and a rename.
 */
final class TenantFileTemplate {
    /** Opens a file as every tenant file is opened (WAL): the template is made with the same settings. */
    private final Function<Path, SingleDatabase> opener;
    private String madeFor;
    private byte[] image;

    TenantFileTemplate(Function<Path, SingleDatabase> opener) {
        this.opener = opener;
    }

    /**
     * Creates {@code file} as a copy of the template of {@code tables}; false when the file exists already (then it is
     * left alone: it may hold rows). A crash leaves either no file or the whole copy (written beside it, then renamed).
     */
    synchronized boolean create(Path file, List<TableSpec> tables) {
        if (Files.exists(file)) {
            return false;
        }
        byte[] bytes = image(tables);
        Path part = file.resolveSibling(file.getFileName() + ".pgturso-new");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(part);
            if (part.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(part, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            Files.move(part, file);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            deleteQuietly(part);
            return false;
        } catch (IOException e) {
            deleteQuietly(part);
            throw new UncheckedIOException("Cannot create the tenant database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of an empty database with these tables, made by SQLite itself in a directory of its own. */
    private byte[] image(List<TableSpec> tables) {
        String key = tables.stream().map(t -> t.targetTable() + "|" + CheckpointStore.identity(t)).collect(Collectors.joining("\n"));
        if (image != null && key.equals(madeFor)) {
            return image;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("pgturso-tenant-template");
            Path file = dir.resolve("template.db");
            SingleDatabase db = opener.apply(file);
            try (Connection c = db.getConnection()) {
                TargetSchema schema = TargetSchema.quiet(new JdbcTemplate(new SingleConnectionDataSource(c, true)));
                tables.forEach(schema::ensure);
            } finally {
                // the last connection closing moves the WAL into the file and removes it
                db.close();
            }
            image = Files.readAllBytes(file);
            madeFor = key;
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the template of new tenant databases: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot make the template of new tenant databases: " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover is overwritten by the next attempt
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(TenantFileTemplate::deleteQuietly);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
