package io.pgturso.bench;

import io.pgturso.app.SyncApplication;
import io.pgturso.pass.TableRunner;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A database per tenant: {@code tenants} x {@code rowsPerTenant} rows of 8 columns, the tenants interleaved (each page
 * holds rows of all of them, as a SaaS table's do), backfilled into one file per tenant, and the same rows into one
 * file in the same run, rounds interleaved and the best of each compared; then an incremental pass that changes 10
 * rows of each of 100 tenants, against the same changes into one file. Then the peak RSS of {@code once} (its own
 * JVM, -Xmx256m as the Docker image) over a fan-out backfill at {@code tenants} and at {@code memoryTenants} tenants.
 * Run: {@code mvn -Pbench-sync -Dcase=tenants [-Dtenants=1000 -DrowsPerTenant=1000 -Drounds=2 -DmemoryTenants=10000
 * -DmemoryRowsPerTenant=20 -DmemoryOnly=true -Dsync.fan-out.max-open=N -Dsync.fan-out.writers=N -Dlayout=clustered]};
 * {@code -DmemoryTenants=0}: no memory runs; {@code -Dlayout=clustered}: each tenant's rows next to each other in the
 * cursor's order (a table filled tenant by tenant) instead of interleaved.
 */
public final class TenantBenchmark {
    private TenantBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tenants = Integer.getInteger("tenants", 1000);
        int perTenant = Integer.getInteger("rowsPerTenant", 1000);
        int rounds = Integer.getInteger("rounds", 2);
        int memoryTenants = Integer.getInteger("memoryTenants", 10_000);
        int memoryPerTenant = Integer.getInteger("memoryRowsPerTenant", 20);
        int rows = tenants * perTenant;
        Path dir = Files.createTempDirectory("pg-turso-sync-tenant-bench");
        List<String> lines = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            load(pg, "orders", tenants, rows);
            if (!Boolean.getBoolean("memoryOnly")) {
                throughput(pg, dir, tenants, perTenant, rounds, lines);
            }
            if (memoryTenants == 0) {
                return;
            }
            lines.add(String.format("%n| peak RSS of `once`, -Xmx256m, a fan-out backfill | tenants | rows | seconds | peak RSS |%n|---|---|---|---|---|"));
            memory(pg, dir.resolve("memory-a"), tenants, rows, lines);
            load(pg, "orders", memoryTenants, memoryTenants * memoryPerTenant);
            memory(pg, dir.resolve("memory-b"), memoryTenants, memoryTenants * memoryPerTenant, lines);
        } finally {
            lines.forEach(System.out::println);
            // also into a file: the applications started in this JVM may have closed its standard output meanwhile
            Files.write(Path.of(System.getProperty("resultFile", Path.of(System.getProperty("project.dir", "."), "target",
                    "tenant-benchmark.md").toString())), lines);
            deleteTree(dir);
        }
    }

    /** Whether each tenant's rows are next to each other in the cursor's order ({@code -Dlayout=clustered}). */
    private static boolean clustered() {
        return "clustered".equals(System.getProperty("layout", "interleaved"));
    }

    /** The backfill and the incremental pass, into a file per tenant against one file, best of {@code rounds}. */
    private static void throughput(EmbeddedPostgres pg, Path dir, int tenants, int perTenant, int rounds, List<String> lines)
            throws Exception {
        int rows = tenants * perTenant;
        lines.add(String.format("%n%d tenants x %d rows (%,d rows, 8 columns, tenants %s), pages of %s rows%n"
                + "| what | rows | seconds | rows/s | CPU s of this JVM | GC pauses s |%n|---|---|---|---|---|---|", tenants, perTenant, rows,
                clustered() ? "clustered" : "interleaved", batchSize()));
        run(pg, dir.resolve("warm-up"), "orders", true, rows, lines);
        double bestOne = 0;
        double bestFan = 0;
        double incOne = Double.MAX_VALUE;
        double incFan = Double.MAX_VALUE;
        for (int round = 1; round <= rounds; round++) {
            double[] one = run(pg, dir.resolve("one-" + round), "orders", false, rows, lines);
            double[] fan = run(pg, dir.resolve("fan-" + round), "orders", true, rows, lines);
            bestOne = Math.max(bestOne, one[0]);
            bestFan = Math.max(bestFan, fan[0]);
            incOne = Math.min(incOne, one[1]);
            incFan = Math.min(incFan, fan[1]);
        }
        lines.add(String.format("backfill into %d tenant files / into one file (best of %d each: %,.0f / %,.0f rows/s): %.2fx",
                tenants, rounds, bestFan, bestOne, bestFan / bestOne));
        lines.add(String.format("incremental pass touching 100 tenants (1,000 rows), into tenant files / into one file "
                + "(best of %d: %.3f s / %.3f s): %.2fx the time", rounds, incFan, incOne, incFan / incOne));
    }

    private static String batchSize() {
        return System.getProperty("batchSize", "20000");
    }

    private static void load(EmbeddedPostgres pg, String table, int tenants, int rows) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, tenant_id text NOT NULL, customer text NOT NULL, "
                    + "total numeric(12, 2), qty int, paid boolean, note text, updated_at timestamptz NOT NULL)");
            s.execute("CREATE INDEX ON " + table + " (updated_at, id)");
            s.execute("CREATE INDEX ON " + table + " (tenant_id)");
            String tenant = clustered() ? "(g - 1) / " + Math.max(1, rows / tenants) : "g % " + tenants;
            s.execute("INSERT INTO " + table + " SELECT g, 'tenant-' || (" + tenant + "), 'customer ' || (g % 5000), "
                    + "(g % 100000) / 100.0, g % 17, g % 2 = 0, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END, "
                    + "'2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, " + rows + ") g");
            s.execute("VACUUM ANALYZE " + table);
        }
    }

    private static void configure(EmbeddedPostgres pg, Path dir, boolean fanOut) throws IOException {
        Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("project.dir", ".")).resolve("routes"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve("routes").resolve(f.getFileName()));
            }
        }
        List<String> props = new ArrayList<>(List.of(
                "sync.source.url = " + pg.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*", ""),
                "sync.source.user = postgres", "sync.source.password = postgres",
                "sync.target.url = " + (fanOut ? "file:" + dir.resolve("tenants/{tenant}.db") : "file:" + dir.resolve("one.db")),
                "sync.schedule = 0 0 0 1 1 ? 2099",
                "sync.retry.max-attempts = 0", "sync.retry.initial-delay-ms = 100", "sync.retry.max-delay-ms = 100",
                "camel.route-template[orders].template-id = table-sync",
                "camel.route-template[orders].table = orders", "camel.route-template[orders].cursor = updated_at",
                "camel.route-template[orders].batchSize = " + batchSize()));
        if (fanOut) {
            props.add("camel.route-template[orders].fan-out = tenant_id");
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("sync.fan-out."))
                    .forEach(k -> props.add(k + " = " + System.getProperty(k)));
        }
        Files.writeString(dir.resolve("application.properties"), String.join("\n", props) + "\n");
    }

    /** A backfill, then an incremental pass changing 10 rows of each of 100 tenants: {rows/s, incremental seconds}. */
    private static double[] run(EmbeddedPostgres pg, Path dir, String table, boolean fanOut, int rows, List<String> lines)
            throws Exception {
        configure(pg, dir, fanOut);
        String what = dir.getFileName() + (fanOut ? ": backfill into a file per tenant" : ": backfill into one file");
        try (SyncApplication app = SyncApplication.start(dir, Map.of(), false)) {
            long start = System.nanoTime();
            long cpu = processCpuNanos();
            long gc = gcMillis();
            boolean ok = TableRunner.runOnce(app.camel(), "orders");
            double seconds = (System.nanoTime() - start) / 1e9;
            lines.add(String.format("| %s%s | %d | %.2f | %,.0f | %.2f | %.2f |", what, ok ? "" : " (FAILED)", rows, seconds,
                    rows / seconds, (processCpuNanos() - cpu) / 1e9, (gcMillis() - gc) / 1e3));
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE " + table + " SET qty = qty + 1, updated_at = now() WHERE id IN (SELECT id FROM (SELECT id, "
                        + "row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS n FROM " + table + " WHERE tenant_id IN (SELECT "
                        + "DISTINCT tenant_id FROM " + table + " ORDER BY 1 LIMIT 100)) t WHERE n <= 10)");
            }
            long inc = System.nanoTime();
            boolean ok2 = TableRunner.runOnce(app.camel(), "orders");
            double incSeconds = (System.nanoTime() - inc) / 1e9;
            lines.add(String.format("| %s: incremental pass, 100 tenants x 10 rows changed%s | 1000 | %.3f | %,.0f |",
                    dir.getFileName(), ok2 ? "" : " (FAILED)", incSeconds, 1000 / incSeconds));
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE " + table + " SET qty = qty - 1 WHERE updated_at > '2030-01-01'");
            }
            return new double[] {rows / seconds, incSeconds};
        } finally {
            deleteTree(dir);
        }
    }

    /** A fan-out backfill by {@code once} in its own JVM; its peak RSS (VmHWM) read while it runs. */
    private static void memory(EmbeddedPostgres pg, Path dir, int tenants, int rows, List<String> lines) throws Exception {
        configure(pg, dir, true);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        // -DmemoryJvmOptions="-XX:NativeMemoryTracking=summary ...": to find where the memory goes (the log is kept, -DmemoryLog=DIR)
        command.addAll(List.of(System.getProperty("memoryJvmOptions", "").split(" ")).stream().filter(o -> !o.isBlank()).toList());
        command.addAll(List.of("-cp", classPath(), "io.pgturso.app.App", "once", "--config", dir.toString()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("once.log").toFile()).start();
        long peakKb = 0;
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            peakKb = Math.max(peakKb, peakRss(p.pid()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        lines.add(String.format("| backfill into a file per tenant%s | %,d | %,d | %.1f | %,d MB |", p.exitValue() == 0 ? ""
                : " (FAILED: " + Files.readString(dir.resolve("once.log")).lines().reduce((a, b) -> b).orElse("") + ")",
                tenants, rows, seconds, peakKb / 1024));
        if (System.getProperty("memoryLog") != null) {
            Files.copy(dir.resolve("once.log"), Path.of(System.getProperty("memoryLog")).resolve(tenants + "-once.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        deleteTree(dir);
    }

    /** CPU time of this JVM, every thread (Postgres's own is not counted): a run's cost beside its seconds (the load moves both). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Time the collectors have spent so far (G1: its pauses). */
    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** The test classpath: under exec:java it is the plugin's class loader's, not java.class.path (Maven's own). */
    private static String classPath() {
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader urls && urls.getURLs().length > 1) {
            return java.util.Arrays.stream(urls.getURLs()).map(u -> {
                try {
                    return Path.of(u.toURI()).toString();
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has ended meanwhile
        }
        return 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
