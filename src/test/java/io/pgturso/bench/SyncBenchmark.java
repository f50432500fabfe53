package io.pgturso.bench;

import io.pgturso.SyncApplication;
import io.pgturso.sync.TableRunner;
import io.pgturso.testing.TursoServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prints the sync's throughput: a backfill of {@code rows} rows (6 columns: bigint key, text, numeric, integer, boolean,
 * timestamptz) from an embedded Postgres into a local file target, through the real routes, and an incremental pass.
 * Run: {@code mvn -Pbench-sync} (optional {@code -Drows=N -DbatchSize=N -Dtarget=turso} for a local libSQL server).
 */
public final class SyncBenchmark {
    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 200_000);
        String batchSize = System.getProperty("batchSize", "5000");
        Path dir = Files.createTempDirectory("pg-turso-sync-bench");
        String target = System.getProperty("target", "file");
        TursoServer turso = target.equals("turso") ? TursoServer.start(dir.resolve("turso.db")) : null;
        String targetUrl = turso != null ? turso.url() : "file:bench.db";
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12, 2), qty int, "
                        + "paid boolean, updated_at timestamptz NOT NULL)");
                s.execute("CREATE INDEX ON orders (updated_at, id)");
                s.execute("INSERT INTO orders SELECT g, 'customer ' || (g % 5000), (g % 100000) / 100.0, g % 17, g % 2 = 0, "
                        + "'2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, " + rows + ") g");
                s.execute("ANALYZE orders");
            }
            Files.createDirectories(dir.resolve("routes"));
            try (Stream<Path> files = Files.list(Path.of(System.getProperty("project.dir", ".")).resolve("routes"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve("routes").resolve(f.getFileName()));
                }
            }
            Files.writeString(dir.resolve("application.properties"), String.join("\n",
                    "sync.source.url = " + pg.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*", ""),
                    "sync.source.user = postgres", "sync.source.password = postgres",
                    "sync.target.url = " + targetUrl,
                    "sync.schedule = 0 0 0 1 1 ? 2099", "sync.batch-size = " + batchSize,
                    "sync.retry.max-attempts = 0", "sync.retry.initial-delay-ms = 100", "sync.retry.max-delay-ms = 100",
                    "camel.route-template[orders].template-id = table-sync",
                    "camel.route-template[orders].table = orders", "camel.route-template[orders].cursor = updated_at", ""));
            try (SyncApplication app = SyncApplication.start(dir, Map.of(), false)) {
                long start = System.nanoTime();
                boolean ok = TableRunner.runOnce(app.camel(), "orders");
                double seconds = (System.nanoTime() - start) / 1e9;
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("UPDATE orders SET qty = qty + 1, updated_at = now() WHERE id % 100 = 0");
                }
                long inc = System.nanoTime();
                boolean ok2 = TableRunner.runOnce(app.camel(), "orders");
                double incSeconds = (System.nanoTime() - inc) / 1e9;
                String to = turso != null ? "libSQL server over HTTP" : "local file";
                System.out.printf("%n| %s: what | rows | seconds | rows/s |%n|---|---|---|---|%n", to);
                System.out.printf("| backfill, pages of %s%s | %d | %.2f | %,.0f |%n", batchSize, ok ? "" : " (FAILED)", rows, seconds, rows / seconds);
                System.out.printf("| incremental pass (1%% of rows changed)%s | %d | %.2f | %,.0f |%n", ok2 ? "" : " (FAILED)", rows / 100,
                        incSeconds, rows / 100 / incSeconds);
                System.out.printf("max heap used: %d MB%n", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            }
        } finally {
            if (turso != null) {
                turso.close();
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
