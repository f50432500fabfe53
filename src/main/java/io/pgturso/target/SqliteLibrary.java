package io.pgturso.target;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Gives sqlite-jdbc its native library as a private copy made in one file copy: its own loader compares the copy it
 * made with the jar's byte by byte, a fifth of a second of every command's start before the JIT has warmed up.
 */
final class SqliteLibrary {
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";
    private static final FileAttribute<?> PRIVATE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static boolean prepared;

    private SqliteLibrary() {
    }

    /** Copies the library to a new private directory, removed at exit; leaves a path set by the user as it is. */
    static synchronized void prepare() {
        if (prepared || System.getProperty(PATH) != null) {
            return;
        }
        prepared = true;
        String name = LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name)) {
            if (in == null) {
                return;
            }
            // named without SecureRandom (its seeding is slow at start); createDirectory fails on any existing entry
            Path dir = Files.createDirectory(Path.of(System.getProperty("java.io.tmpdir"), "pg-turso-sync-sqlite-"
                    + ProcessHandle.current().pid() + "-" + System.nanoTime()), PRIVATE);
            dir.toFile().deleteOnExit();
            Path lib = dir.resolve(name);
            lib.toFile().deleteOnExit();
            Files.copy(in, lib);
            System.setProperty(NAME, name);
            System.setProperty(PATH, dir.toString());
        } catch (IOException | RuntimeException e) {
            // the driver's own loader still finds the library
        }
    }
}
