package io.pgturso.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;

/** A database per tenant as local files: sync.target.url names {tenant}; the control database is pgturso-control.db beside them. */
public final class TenantFiles implements TestTarget {
    private final Path dir;

    public TenantFiles(Path dir) {
        this.dir = dir;
    }

    /** The template: file:DIR/{tenant}.db. */
    @Override
    public String url() {
        return "file:" + dir.resolve("{tenant}.db");
    }

    /** The control database (checkpoints, dead letters, the tables without fan-out). */
    @Override
    public JdbcTemplate jdbc() {
        return tenant("pgturso-control");
    }

    /** One tenant's database, by its database name. */
    public JdbcTemplate tenant(String database) {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve(database + ".db"));
        ds.getConfig().setBusyTimeout(30_000);
        return new JdbcTemplate(ds);
    }

    /** A column's declared type in a tenant's table ({@code pragma_table_info}), or null when it has no such column. */
    public String declaredType(String database, String table, String column) {
        return tenant(database).queryForList("SELECT type FROM pragma_table_info(?) WHERE name = ?", String.class, table, column)
                .stream().findFirst().orElse(null);
    }

    /** The database files there are, by name, the control database apart. */
    public List<String> databases() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".db")).map(n -> n.substring(0, n.length() - 3))
                    .filter(n -> !n.equals("pgturso-control")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the tenant's database file exists. */
    public boolean exists(String database) {
        return Files.exists(dir.resolve(database + ".db"));
    }

    @Override
    public void close() {
    }
}
