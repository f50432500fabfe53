package io.pgturso.testing;

import io.pgturso.app.App;
import io.pgturso.app.SyncApplication;
import io.pgturso.pass.TableRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A sync installation for one test: a config directory with the project's real route files and an
 * application.properties pointing at a fresh Postgres database and the given target.
 */
public final class SyncHarness implements AutoCloseable {
    /** A schedule that never fires during a test; tests run passes themselves. */
    public static final String NEVER = "0 0 0 1 1 ? 2099";

    private final Path dir;
    private final String pgUrl;
    private final TestTarget target;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private SyncApplication app;

    private final TestPostgres postgres;

    private SyncHarness(Path dir, TestPostgres pg, TestTarget target) {
        this.dir = dir;
        this.postgres = pg;
        this.pgUrl = pg.newDatabase();
        this.target = target;
        properties.put("sync.source.url", pgUrl);
        properties.put("sync.source.user", pg.user());
        properties.put("sync.source.password", pg.password());
        properties.put("sync.target.url", target.url());
        properties.put("sync.schedule", NEVER);
        properties.put("sync.batch-size", "1000");
        properties.put("sync.retry.max-attempts", "1");
        properties.put("sync.retry.initial-delay-ms", "10");
        properties.put("sync.retry.max-delay-ms", "50");
        // tests that want the health and metrics endpoints turn them on with a free port
        properties.put("sync.http.enabled", "false");
    }

    /** A harness in {@code dir} with a fresh Postgres database and the project's route files. */
    public static SyncHarness create(Path dir, TestTarget target) {
        return create(dir, target, TestPostgres.get());
    }

    /** A harness on a given Postgres server. */
    public static SyncHarness create(Path dir, TestTarget target, TestPostgres pg) {
        copyRoutes(dir.resolve("routes"));
        return new SyncHarness(dir, pg, target);
    }

    private static void copyRoutes(Path to) {
        Path from = Path.of(System.getProperty("project.dir", ".")).resolve("routes");
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Declares (or re-declares) a table: {@code settings} are template parameters as {@code name=value}. */
    public SyncHarness table(String name, String... settings) {
        properties.keySet().removeIf(k -> k.startsWith("camel.route-template[" + name + "]."));
        properties.put("camel.route-template[" + name + "].template-id", "table-sync");
        for (String s : settings) {
            int eq = s.indexOf('=');
            properties.put("camel.route-template[" + name + "]." + s.substring(0, eq), s.substring(eq + 1));
        }
        return this;
    }

    /** The fresh database's JDBC URL, as sync.source.url is set to. */
    public String sourceUrl() {
        return pgUrl;
    }

    /** Sets one property of application.properties. */
    public SyncHarness property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Sets one environment variable as the application sees it. */
    public SyncHarness env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Writes application.properties and starts the application (scheduled: Quartz fires and routes are watched). */
    public SyncApplication start(boolean scheduled) {
        writeProperties();
        app = SyncApplication.start(dir, env, scheduled);
        return app;
    }

    /** Starts without schedules, for tests that run passes themselves. */
    public SyncApplication start() {
        return start(false);
    }

    /** Runs one table's pass now; true when it succeeded. */
    public boolean runOnce(String table) {
        return TableRunner.runOnce(app.camel(), table);
    }

    /** The running application. */
    public SyncApplication app() {
        return app;
    }

    /** Compares one table between Postgres and the target, as the verify command does: the reliability tests' oracle. */
    public io.pgturso.verify.ComparisonResult compare(String table) {
        return new io.pgturso.verify.TableComparison(10_000, 10).compare(spec(table),
                app.camel().getRegistry().lookupByNameAndType("source", javax.sql.DataSource.class),
                app.camel().getRegistry().lookupByNameAndType("target", javax.sql.DataSource.class));
    }

    /** The resolved spec of one table, as the running application sees it. */
    public io.pgturso.source.TableSpec spec(String table) {
        io.pgturso.source.TableRegistry tables = app.camel().getRegistry().lookupByNameAndType("tables", io.pgturso.source.TableRegistry.class);
        return tables.spec(tables.config(table).orElseThrow());
    }

    /** Stops the application (a later {@link #start} is a restart). */
    public void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    /** Runs the command line with {@code --config} set to this harness; returns exit code and output. */
    public CliResult cli(String... args) {
        writeProperties();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(dir.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = App.run(all.toArray(String[]::new), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The source database, for test data. */
    public JdbcTemplate pg() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pgUrl);
        ds.setUser(postgres.user());
        ds.setPassword(postgres.password());
        return new JdbcTemplate(ds);
    }

    /** The target database, for assertions. */
    public JdbcTemplate target() {
        return target.jdbc();
    }

    public Path dir() {
        return dir;
    }

    public String pgUrl() {
        return pgUrl;
    }

    /** The Postgres server of the source database. */
    public TestPostgres postgres() {
        return postgres;
    }

    /** Writes application.properties as configured so far (for processes started outside the harness). */
    public void writeConfig() {
        writeProperties();
    }

    private void writeProperties() {
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        try {
            Files.writeString(dir.resolve("application.properties"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** What a command-line run returned and printed. */
    public record CliResult(int exitCode, String out, String err) {
    }
}
