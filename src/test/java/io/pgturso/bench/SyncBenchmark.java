package io.pgturso.bench;

import io.pgturso.app.SyncApplication;
import io.pgturso.pass.TableRunner;
import io.pgturso.testing.TursoServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prints the sync's throughput on a backfill of {@code rows} rows of 8 columns (bigint key, two texts, numeric, integer,
 * boolean, text, timestamptz) from an embedded Postgres through the real routes: into a local file target without and
 * with a simple YAML row hook, and {@code sqlite3 .import} of the same rows (as the sync stores them, into a table of
 * the same definition) measured in the same run, with the ratios; then an incremental pass. A first backfill warms the
 * JVM up, as a running sync is. Each timing is taken {@code rounds} times (default 3), interleaved, and the best of each
 * compared, as the machine's other work makes single timings vary.
 * Then full mode ({@link FullModeBenchmark}; alone with {@code -Dcase=full}). A database per tenant: {@code -Dcase=tenants}
 * ({@link TenantBenchmark}); its change stream into Turso databases over a simulated WAN: {@code -Dcase=tenant-cdc}
 * ({@link TenantCdcBenchmark}).
 * Run: {@code mvn -Pbench-sync} (optional {@code -Drows=N -DbatchSize=N -Drounds=N -Dtarget=turso} for a local libSQL
 * server; {@code -Dtarget=libsql} and {@code -Dtarget=turso-ratio} run {@link RemoteSyncBenchmark}: simulated round trips, and the ratios to the server's own ingest).
 */
public final class SyncBenchmark {
    private static final String HOOK = """
            - route:
                id: bench-hook
                routeConfigurationId: row-hook
                from:
                  uri: direct:bench-hook
                  steps:
                    - setHeader:
                        name: note
                        simple:
                          expression: "${body[customer]} (hooked)"
            """;

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if ("tenants".equals(System.getProperty("case"))) {
            TenantBenchmark.main(args);
            return;
        }
        if ("tenant-cdc".equals(System.getProperty("case"))) {
            TenantCdcBenchmark.main(args);
            return;
        }
        if (List.of("libsql", "turso-ratio").contains(System.getProperty("target", "file"))) {
            RemoteSyncBenchmark.main(args);
            return;
        }
        int rows = Integer.getInteger("rows", 1_000_000);
        String batchSize = System.getProperty("batchSize", "5000");
        Path dir = Files.createTempDirectory("pg-turso-sync-bench");
        boolean turso = System.getProperty("target", "file").equals("turso");
        List<String> lines = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, email text, total numeric(12, 2), "
                        + "qty int, paid boolean, note text, updated_at timestamptz NOT NULL)");
                s.execute("CREATE INDEX ON orders (updated_at, id)");
                s.execute("INSERT INTO orders SELECT g, 'customer ' || (g % 5000), 'user' || g || '@example.com', (g % 100000) / 100.0, "
                        + "g % 17, g % 2 = 0, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END, "
                        + "'2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, " + rows + ") g");
                s.execute("VACUUM ANALYZE orders");
            }
            if ("full".equals(System.getProperty("case"))) {
                FullModeBenchmark.run(pg, dir, rows, batchSize, lines);
                return;
            }
            String to = turso ? "libSQL server over HTTP" : "local file";
            lines.add(String.format("%n| %s: what | rows | seconds | rows/s |%n|---|---|---|---|", to));
            // a first backfill warms the JVM up (a running sync is warm); its figures are printed but not compared
            backfill(pg, dir.resolve("warm-up"), rows, batchSize, turso, false, lines);
            // the machine's other work makes single timings vary: each is taken `rounds` times, interleaved, and the
            // best of each is compared (the ratios of each round are printed too)
            int rounds = Integer.getInteger("rounds", 3);
            double bestPlain = 0;
            double bestHooked = 0;
            double bestImport = 0;
            List<String> perRound = new ArrayList<>();
            Path csv = null;
            for (int round = 1; round <= rounds; round++) {
                Run plain = backfill(pg, dir.resolve("plain-" + round), rows, batchSize, turso, false, lines);
                Run hooked = backfill(pg, dir.resolve("hooked-" + round), rows, batchSize, turso, true, lines);
                double imported = 0;
                if (!turso) {
                    csv = csv != null ? csv : exportCsv(dir, plain.db(), lines);
                    imported = csv == null ? 0 : sqliteImport(dir, plain.db(), csv, round, rows, lines);
                }
                deleteTree(dir.resolve("plain-" + round));
                deleteTree(dir.resolve("hooked-" + round));
                bestPlain = Math.max(bestPlain, plain.rowsPerSecond());
                bestHooked = Math.max(bestHooked, hooked.rowsPerSecond());
                bestImport = Math.max(bestImport, imported);
                if (imported > 0) {
                    perRound.add(String.format("%.2fx / %.2fx", plain.rowsPerSecond() / imported, hooked.rowsPerSecond() / imported));
                }
            }
            if (bestImport > 0) {
                lines.add(String.format("each round, file-target backfill / sqlite3 .import without / with the hook: %s",
                        String.join(", ", perRound)));
                lines.add(String.format("file-target backfill / sqlite3 .import (best of %d each: %,.0f / %,.0f / %,.0f rows/s): "
                        + "%.2fx without hook, %.2fx with a YAML row hook", rounds, bestPlain, bestHooked, bestImport,
                        bestPlain / bestImport, bestHooked / bestImport));
            }
            if (!turso) {
                FullModeBenchmark.run(pg, dir, rows, batchSize, lines);
            }
        } finally {
            lines.forEach(System.out::println);
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One backfill through the real routes into a fresh target; then (without hook) an incremental pass of 1% of the rows. */
    private static Run backfill(EmbeddedPostgres pg, Path dir, int rows, String batchSize, boolean turso, boolean hook,
            List<String> lines) throws Exception {
        Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("project.dir", ".")).resolve("routes"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve("routes").resolve(f.getFileName()));
            }
        }
        if (hook) {
            Files.writeString(dir.resolve("routes/bench-hook.camel.yaml"), HOOK);
        }
        TursoServer server = turso ? TursoServer.start(dir.resolve("turso.db")) : null;
        Path db = dir.resolve("bench.db");
        List<String> props = new ArrayList<>(List.of(
                "sync.source.url = " + pg.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*", ""),
                "sync.source.user = postgres", "sync.source.password = postgres",
                "sync.target.url = " + (server != null ? server.url() : "file:" + db),
                "sync.schedule = 0 0 0 1 1 ? 2099",
                "sync.retry.max-attempts = 0", "sync.retry.initial-delay-ms = 100", "sync.retry.max-delay-ms = 100",
                "camel.route-template[orders].template-id = table-sync",
                "camel.route-template[orders].table = orders", "camel.route-template[orders].cursor = updated_at"));
        props.add("sync.batch-size = " + batchSize);
        // -Dsettings=name=value,...: settings to try (e.g. sync.source.copy-pages=false)
        for (String setting : System.getProperty("settings", "").split(",")) {
            if (!setting.isBlank()) {
                props.add(setting.trim());
            }
        }
        if (hook) {
            props.add("camel.route-template[orders].transform = direct:bench-hook");
        }
        Files.writeString(dir.resolve("application.properties"), String.join("\n", props) + "\n");
        try (SyncApplication app = SyncApplication.start(dir, Map.of(), false)) {
            long start = System.nanoTime();
            boolean ok = TableRunner.runOnce(app.camel(), "orders");
            double seconds = (System.nanoTime() - start) / 1e9;
            String pages = "pages of " + batchSize;
            String name = dir.getFileName().toString();
            lines.add(String.format("| backfill, %s%s%s%s | %d | %.2f | %,.0f |", name.equals("warm-up")
                    ? "JVM warm-up, " : name.contains("-") ? "round " + name.substring(name.indexOf('-') + 1) + ", " : "", pages, hook ? ", YAML row hook" : "",
                    ok ? "" : " (FAILED)", rows, seconds, rows / seconds));
            if (!hook) {
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("UPDATE orders SET qty = qty + 1, updated_at = now() WHERE id % 100 = 0");
                }
                long inc = System.nanoTime();
                boolean ok2 = TableRunner.runOnce(app.camel(), "orders");
                double incSeconds = (System.nanoTime() - inc) / 1e9;
                lines.add(String.format("| incremental pass (1%% of rows changed)%s | %d | %.2f | %,.0f |", ok2 ? "" : " (FAILED)",
                        rows / 100, incSeconds, rows / 100 / incSeconds));
                // the import below compares with the backfill: the same rows as first copied
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("UPDATE orders SET qty = qty - 1 WHERE id % 100 = 0");
                }
            }
            return new Run(rows / seconds, db);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** The rows as the sync stored them, as CSV for {@code sqlite3 .import}; null (and a line saying so) without sqlite3. */
    private static Path exportCsv(Path dir, Path syncedDb, List<String> lines) throws Exception {
        if (!onPath("sqlite3")) {
            lines.add("sqlite3 NOT FOUND: no ratio to `sqlite3 .import` measured (install it: apt-get install -y sqlite3)");
            return null;
        }
        Path csv = dir.resolve("rows.csv");
        run(dir, "sqlite3", "-csv", syncedDb.toString(), ".once " + csv, "SELECT * FROM orders");
        return csv;
    }

    /**
     * {@code sqlite3 .import} of the rows as the sync stores them (read back from its target as CSV), into an empty table
     * of the same definition: SQLite's own bulk load, as the yardstick. Returns rows/s.
     */
    private static double sqliteImport(Path dir, Path syncedDb, Path csv, int round, int rows, List<String> lines) throws Exception {
        String schema;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + syncedDb); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'orders'")) {
                rs.next();
                schema = rs.getString(1);
            }
        }
        Path importDb = dir.resolve("import-" + round + ".db");
        run(dir, "sqlite3", importDb.toString(), "PRAGMA journal_mode=WAL", schema);
        long start = System.nanoTime();
        run(dir, "sqlite3", importDb.toString(), "PRAGMA synchronous=NORMAL", ".import --csv " + csv + " orders");
        double seconds = (System.nanoTime() - start) / 1e9;
        long count;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + importDb); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            count = rs.getLong(1);
        }
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(importDb + suffix));
        }
        lines.add(String.format("| sqlite3 .import of the same rows (CSV, same table definition, WAL)%s | %d | %.2f | %,.0f |",
                count == rows ? "" : " (imported " + count + ")", rows, seconds, rows / seconds));
        return rows / seconds;
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sqlite3.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(dir.resolve("sqlite3.log")));
        }
    }

    private record Run(double rowsPerSecond, Path db) {
    }
}
