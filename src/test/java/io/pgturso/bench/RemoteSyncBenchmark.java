package io.pgturso.bench;

import io.pgturso.app.SyncApplication;
import io.pgturso.pass.TableRunner;
import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.TursoServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Prints the sync's throughput against a remote target: a backfill of {@code rows} rows (8 columns: bigint key, text, numeric, integer, boolean,
 * timestamptz, text, double) from an embedded Postgres through the real routes, and an incremental pass.
 * Run: {@code mvn -Pbench-sync} (optional {@code -Drows=N -DbatchSize=N -Dtarget=file|turso|libsql}). With
 * {@code -Dtarget=libsql} the target is the project's libSQL test server with a simulated round trip per request
 * ({@code -Drtt=0,25,50,100} ms, {@code -DmaxInFlight=8}), and the server's own multi-row ingest of the same rows is
 * measured in the same run for comparison (1, 2, 4 and 8 requests at once; its best is the baseline). With
 * {@code -Dpin=true} the server runs in a process of its own on a CPU of its own, and this JVM and Postgres on the other.
 */
public final class RemoteSyncBenchmark {
    private RemoteSyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 200_000);
        String target = System.getProperty("target", "file");
        if (target.equals("libsql") || target.equals("turso-ratio")) {
            rows = Integer.getInteger("rows", 1_000_000);
        }
        String batchSize = System.getProperty("batchSize", "5000");
        Path dir = Files.createTempDirectory("pg-turso-sync-bench");
        // a buffer cache that holds the table and its indexes (156 MB at 1,000,000 rows), as a production server's
        // would: with the embedded default of 128 MB, every pass read its pages again through the kernel
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("shared_buffers", "512MB").start()) {
            fill(pg, rows);
            if (target.equals("libsql") || target.equals("turso-ratio")) {
                if (target.equals("libsql") && Boolean.getBoolean("pin")) {
                    // the server in a process of its own, on a CPU of its own
                    try (ServerHost host = ServerHost.fork()) {
                        Cpus.pinSyncSide(pg);
                        if (Cpus.pinned) {
                            Cpus.pin(host.pid(), Cpus.server());
                        }
                        wan(pg, dir, rows, batchSize, Server.hosted(host), System.getProperty("rtt", "0"));
                    }
                } else if (target.equals("libsql")) {
                    wan(pg, dir, rows, batchSize, Server::testServer, System.getProperty("rtt", "0,25,50,100"));
                } else {
                    if (Boolean.getBoolean("pin")) {
                        Cpus.pinSyncSide(pg);
                    }
                    wan(pg, dir, rows, batchSize, Server::tursodb, "0");
                }
                return;
            }
            TursoServer turso = target.equals("turso") ? TursoServer.start(dir.resolve("turso.db")) : null;
            try {
                String targetUrl = turso != null ? turso.url() : "file:bench.db";
                Path config = config(pg, dir.resolve("local"), targetUrl, batchSize, "1");
                try (SyncApplication app = SyncApplication.start(config, Map.of(), false)) {
                    double seconds = backfill(app);
                    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                        s.execute("UPDATE orders SET qty = qty + 1, updated_at = now() WHERE id % 100 = 0");
                    }
                    long inc = System.nanoTime();
                    boolean ok2 = TableRunner.runOnce(app.camel(), "orders");
                    double incSeconds = (System.nanoTime() - inc) / 1e9;
                    String to = turso != null ? "libSQL server over HTTP" : "local file";
                    System.out.printf("%n| %s: what | rows | seconds | rows/s |%n|---|---|---|---|%n", to);
                    System.out.printf("| backfill, pages of %s%s | %d | %.2f | %,.0f |%n", batchSize,
                            seconds < 0 ? " (FAILED)" : "", rows, Math.abs(seconds), rows / Math.abs(seconds));
                    System.out.printf("| incremental pass (1%% of rows changed)%s | %d | %.2f | %,.0f |%n",
                            ok2 ? "" : " (FAILED)", rows / 100, incSeconds, rows / 100 / incSeconds);
                    System.out.printf("max heap used: %d MB%n",
                            (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
                }
            } finally {
                if (turso != null) {
                    turso.close();
                }
            }
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Starts a fresh libSQL server on a new file with a simulated round trip. */
    private interface Servers {
        Server start(Path file, Duration latency);
    }

    /**
     * A fresh libSQL server on a new file: the project's test server (round trips simulated), in this JVM or, pinned, in
     * a process of its own ({@link ServerHost}); or {@code tursodb}.
     */
    private record Server(String name, String url, String jdbcUrl, AutoCloseable stop) implements AutoCloseable {
        static Server testServer(Path file, Duration latency) {
            LibsqlTestServer server = LibsqlTestServer.start(file).latency(latency);
            return new Server("the libSQL test server", server.url(), server.jdbcUrl(), server);
        }

        static Servers hosted(ServerHost host) {
            return (file, latency) -> {
                String url = host.start(file, latency);
                return new Server("the libSQL test server", url, "jdbc:libsql:" + url, () -> host.stop(url));
            };
        }

        static Server tursodb(Path file, Duration latency) {
            if (!latency.isZero()) {
                throw new IllegalArgumentException("round trips are simulated by the libSQL test server only");
            }
            TursoServer server = TursoServer.start(file);
            if (Cpus.pinned) {
                Cpus.pin(server.pid(), Cpus.server());
            }
            return new Server("tursodb", server.url(), server.jdbcUrl(), server);
        }

        @Override
        public void close() throws Exception {
            stop.close();
        }
    }

    /**
     * Timed runs start once this JVM's JIT compiler has been idle for a moment: starting an application (its routes, the
     * YAML parser) compiles code of its own, which would otherwise run on the measured CPUs during the first seconds of
     * the timing. What a run itself compiles still counts.
     */
    static final class Jit {
        private static final long QUIET_MS = 300;
        private static final long AT_MOST_MS = 10_000;

        static void awaitQuiet() {
            var compiler = java.lang.management.ManagementFactory.getCompilationMXBean();
            if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
                return;
            }
            long deadline = System.currentTimeMillis() + AT_MOST_MS;
            long last = compiler.getTotalCompilationTime();
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() - quietSince < QUIET_MS && System.currentTimeMillis() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
                long now = compiler.getTotalCompilationTime();
                if (now != last) {
                    last = now;
                    quietSince = System.currentTimeMillis();
                }
            }
        }
    }

    /**
     * With {@code -Dpin=true}: the server's process on the last CPU, this JVM and Postgres on the others, as when the
     * server is a machine of its own (Turso Cloud); otherwise all share every CPU and the server's own ingest has them
     * all while the sync shares them with Postgres.
     */
    private static final class Cpus {
        static boolean pinned;
        /** Counted before pinning: afterwards the JVM sees only its own CPUs. */
        static final int CPUS = Runtime.getRuntime().availableProcessors();

        static String server() {
            return Integer.toString(CPUS - 1);
        }

        static String rest() {
            return "0-" + (CPUS - 2);
        }

        static void pinSyncSide(EmbeddedPostgres pg) throws Exception {
            if (CPUS < 2) {
                System.out.println("pin: needs 2 CPUs, running unpinned");
                return;
            }
            pinned = true;
            pin(ProcessHandle.current().pid(), rest());
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                 java.sql.ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                r.next();
                ProcessHandle postmaster = ProcessHandle.of(r.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
                pin(postmaster.pid(), rest());
                postmaster.descendants().forEach(child -> pin(child.pid(), rest()));
            }
            System.out.printf("pinned: server on CPU %s, this JVM and Postgres on CPU %s%n", server(), rest());
        }

        static void pin(long pid, String cpus) {
            try {
                new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (Exception e) {
                throw new IllegalStateException("taskset failed for " + pid, e);
            }
        }
    }

    /**
     * Backfill over a simulated WAN, after untimed warm-ups. At 0 ms, {@code rounds} backfills by one running application,
     * then (after warm-ups of their own) {@code rounds} rounds of the server's own ingest of the same rows (plain multi-row
     * INSERTs, and the sync's upserts through the driver, at 1, 2, 4 and 8 requests at once); the server's best is the
     * baseline and the ratios are those of the medians.
     */
    private static void wan(EmbeddedPostgres pg, Path dir, int rows, String batchSize,
                            Servers servers, String roundTrips) throws Exception {
        String maxInFlight = System.getProperty("maxInFlight", "8");
        int writers = Integer.parseInt(maxInFlight);
        int warmUps = Integer.getInteger("warmUps", 10);
        int rounds = Integer.getInteger("rounds", 3);
        // the server's best: 1, 2, 4 and 8 requests at once, and as many as the sync's pages in flight
        List<Integer> levels = java.util.stream.Stream.of(1, 2, 4, 8, writers).distinct().sorted().toList();
        java.util.Map<String, List<Double>> figures = new java.util.LinkedHashMap<>();
        // At 0 ms one application does every backfill, as a `run` process syncs for days, and the server's own ingest
        // is measured after them: a fresh application per backfill, or the ingest's client code run between backfills
        // in this JVM, kept the JIT compiling through the timed passes (a sixth of this side's CPU in one profile).
        Path steady = dir.resolve("sync-0ms");
        try (Server server = servers.start(steady.resolve("target.db"), Duration.ZERO);
             SyncApplication app = SyncApplication.start(config(pg, steady, server.url(), batchSize, maxInFlight),
                     Map.of(), false)) {
            for (int w = 0; w < warmUps; w++) {
                // untimed runs first: the JIT still moves methods up to its top tier through the 8th backfill or so
                // (one profile of the 5th found it on a sixth of the CPU the sync and Postgres share when pinned)
                System.out.printf("warm-up %d: sync %,.0f rows/s%n", w + 1, backfillAgain(app, server, rows));
            }
            for (int r = 0; r < rounds; r++) {
                record(figures, "sync", backfillAgain(app, server, rows));
                System.out.printf("round %d: sync %,.0f rows/s%n", r + 1, figures.get("sync").get(r));
            }
        }
        for (int w = 0; w < warmUps; w++) {
            ingest(servers.start(dir.resolve("warm-up-ingest-" + w).resolve("t.db"), Duration.ZERO), rows / 5, writers);
            ingestUpserts(servers.start(dir.resolve("warm-up-upserts-" + w).resolve("t.db"), Duration.ZERO), rows / 5, writers);
        }
        for (int r = 0; r < rounds; r++) {
            Path round = dir.resolve("round-" + r);
            for (int clients : levels) {
                record(figures, "plain-" + clients,
                        ingest(servers.start(round.resolve("plain-" + clients).resolve("t.db"), Duration.ZERO), rows, clients));
                record(figures, "upserts-" + clients,
                        ingestUpserts(servers.start(round.resolve("ups-" + clients).resolve("t.db"), Duration.ZERO), rows, clients));
            }
            System.out.printf("round %d: %s%n", r + 1, figures);
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("| 0 ms | %s | %d | %.1f | %,.0f (median of %d; %,.0f to %,.0f) |", maxInFlight, rows,
                rows / median(figures.get("sync")), median(figures.get("sync")), rounds,
                java.util.Collections.min(figures.get("sync")), java.util.Collections.max(figures.get("sync"))));
        for (String rtt : roundTrips.split(",")) {
            Duration latency = Duration.ofMillis(Long.parseLong(rtt.strip()));
            if (latency.isZero()) {
                continue;
            }
            double rate = sync(pg, servers, dir.resolve("rtt-" + latency.toMillis()), rows, batchSize, maxInFlight, latency);
            lines.add(String.format("| %d ms | %s | %d | %.1f | %,.0f |", latency.toMillis(), maxInFlight, rows,
                    rows / rate, rate));
        }
        String serverName;
        try (Server probe = servers.start(dir.resolve("name").resolve("target.db"), Duration.ZERO)) {
            serverName = probe.name();
        }
        System.out.printf("%nbackfill of %,d rows x 8 columns, pages of %s, into %s%s%n", rows, batchSize, serverName,
                Cpus.pinned ? " (pinned to a CPU of its own)" : "");
        System.out.println("| round trip | pages in flight | rows | seconds | rows/s |");
        System.out.println("|---|---|---|---|---|");
        lines.forEach(System.out::println);
        System.out.printf("the server's own multi-row ingest of the same %,d rows at 0 ms, 500 rows per statement, 5,000 "
                + "rows per request, no Postgres and no routes (medians of %d rounds):%n", rows, rounds);
        double plain = 0;
        double upserts = 0;
        for (int clients : levels) {
            double p = median(figures.get("plain-" + clients));
            double u = median(figures.get("upserts-" + clients));
            plain = Math.max(plain, p);
            upserts = Math.max(upserts, u);
            System.out.printf("  %d request(s) at once: plain INSERT of literal values %,.0f rows/s; the sync's guarded "
                    + "upsert through the driver %,.0f rows/s%n", clients, p, u);
        }
        double sync = median(figures.get("sync"));
        System.out.printf("ratio at 0 ms: %.2f of the server's plain multi-row INSERT ingest, %.2f of its ingest of the "
                + "same upserts (each the best of %s requests at once)%n", sync / plain, sync / upserts, levels);
        System.out.printf("max heap used: %d MB%n",
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }

    /** Rows per second of one backfill into a fresh server with this simulated round trip. */
    private static double sync(EmbeddedPostgres pg, Servers servers, Path run, int rows,
                               String batchSize, String maxInFlight, Duration latency) throws Exception {
        try (Server server = servers.start(run.resolve("target.db"), latency)) {
            try (SyncApplication app = SyncApplication.start(config(pg, run, server.url(), batchSize, maxInFlight),
                    Map.of(), false)) {
                return backfill(app, rows);
            }
        }
    }

    /**
     * Rows per second of a backfill by a running application into an emptied target: its table dropped, its checkpoint
     * deleted, and the file vacuumed where the server allows it, so that each backfill starts as on a fresh server.
     */
    private static double backfillAgain(SyncApplication app, Server server, int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS orders");
            s.execute("DELETE FROM pgturso_checkpoints");
            try {
                s.execute("VACUUM");
            } catch (java.sql.SQLException e) {
                // tursodb does not vacuum; its freed pages are used again
            }
        }
        return backfill(app, rows);
    }

    private static void record(java.util.Map<String, List<Double>> figures, String name, double rowsPerSecond) {
        figures.computeIfAbsent(name, k -> new ArrayList<>()).add((double) Math.round(rowsPerSecond));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Rows per second of the guarded upsert the sync sends for this table (same text, same value types), 5,000 rows per
     * request, which the driver sends as 500-row statements with literals inlined as it does for the sync, from
     * {@code inFlight} connections at once like the sync's pages in flight: the same requests without Postgres and routes.
     */
    private static double ingestUpserts(Server target, int rows, int inFlight) throws Exception {
        String columns = "\"id\", \"customer\", \"total\", \"qty\", \"paid\", \"updated_at\", \"note\", \"score\"";
        String upsert = "INSERT INTO \"orders\" (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (\"id\") "
                + "DO UPDATE SET \"customer\" = excluded.\"customer\", \"total\" = excluded.\"total\", "
                + "\"qty\" = excluded.\"qty\", \"paid\" = excluded.\"paid\", \"updated_at\" = excluded.\"updated_at\", "
                + "\"note\" = excluded.\"note\", \"score\" = excluded.\"score\" WHERE excluded.\"updated_at\" IS NULL "
                + "OR \"orders\".\"updated_at\" IS NULL OR excluded.\"updated_at\" >= \"orders\".\"updated_at\"";
        DateTimeFormatter micros = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
        return concurrently(target, "id INTEGER NOT NULL, customer TEXT, total TEXT, qty INTEGER, paid INTEGER, "
                + "updated_at TEXT, note TEXT, score REAL, PRIMARY KEY (id)", rows, inFlight, (c, first, last) -> {
                    try (var insert = c.prepareStatement(upsert)) {
                        for (int id = first; id <= last; id++) {
                            insert.setLong(1, id);
                            insert.setString(2, "customer " + id % 5000);
                            insert.setString(3, Double.toString(id % 100000 / 100.0));
                            insert.setLong(4, id % 17);
                            insert.setLong(5, id % 2);
                            insert.setString(6, micros.format(LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(id)) + "Z");
                            insert.setString(7, "note for order " + id);
                            insert.setDouble(8, id * 0.5);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                });
    }

    /**
     * Rows per second of hand-built multi-row INSERTs of literal values of the same 8 columns into a fresh server,
     * 500 rows per statement and 10 statements per request, from {@code inFlight} connections at once.
     */
    private static double ingest(Server target, int rows, int inFlight) throws Exception {
        return concurrently(target, "id INTEGER PRIMARY KEY, customer TEXT, total TEXT, qty INTEGER, paid INTEGER, "
                + "updated_at TEXT, note TEXT, score REAL", rows, inFlight, (c, first, last) -> {
                    try (Statement s = c.createStatement()) {
                        for (int from = first; from <= last; from += 500) {
                            StringBuilder sql = new StringBuilder("INSERT INTO orders VALUES ");
                            for (int id = from; id < from + 500 && id <= last; id++) {
                                sql.append(id == from ? "" : ",").append('(').append(id).append(",'customer ")
                                        .append(id % 5000).append("','").append(id % 100000 / 100.0).append("',")
                                        .append(id % 17).append(',').append(id % 2)
                                        .append(",'2024-01-01T00:00:00.000000Z','note for order ").append(id)
                                        .append("',").append(id * 0.5).append(')');
                            }
                            s.addBatch(sql.toString());
                        }
                        s.executeBatch();
                    }
                });
    }

    /** Sends rows {@code first} to {@code last} (one page, one request) over the connection. */
    private interface PageSender {
        void send(Connection connection, int first, int last) throws Exception;
    }

    /**
     * Rows per second of {@code inFlight} connections at once, each sending the next page of 5,000 rows until all are
     * sent, into a new {@code orders} table of the server (which is stopped after).
     */
    private static double concurrently(Server target, String columns, int rows, int inFlight, PageSender sender)
            throws Exception {
        int page = 5_000;
        try (Server server = target) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (" + columns + ")");
            }
            AtomicInteger nextPage = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(inFlight);
            try {
                List<Future<?>> writers = new ArrayList<>();
                Jit.awaitQuiet();
                long start = System.nanoTime();
                for (int t = 0; t < inFlight; t++) {
                    writers.add(pool.submit(() -> {
                        try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
                            for (int first = nextPage.getAndIncrement() * page + 1; first <= rows;
                                 first = nextPage.getAndIncrement() * page + 1) {
                                sender.send(c, first, Math.min(first + page - 1, rows));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
                return rows / ((System.nanoTime() - start) / 1e9);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void fill(EmbeddedPostgres pg, int rows) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12, 2), qty int, "
                    + "paid boolean, updated_at timestamptz NOT NULL, note text, score float8)");
            s.execute("CREATE INDEX ON orders (updated_at, id)");
            s.execute("INSERT INTO orders SELECT g, 'customer ' || (g % 5000), (g % 100000) / 100.0, g % 17, g % 2 = 0, "
                    + "'2024-01-01'::timestamptz + g * interval '1 second', 'note for order ' || g, g * 0.5 "
                    + "FROM generate_series(1, " + rows + ") g");
            s.execute("ANALYZE orders");
        }
    }

    private static Path config(EmbeddedPostgres pg, Path dir, String targetUrl, String batchSize, String maxInFlight)
            throws Exception {
        Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("project.dir", ".")).resolve("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("routes").resolve(f.getFileName()));
            }
        }
        Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "sync.source.url = " + pg.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*", ""),
                "sync.source.user = postgres", "sync.source.password = postgres",
                "sync.target.url = " + targetUrl, "sync.target.max-in-flight = " + maxInFlight,
                "sync.target.pool-size = " + (Integer.parseInt(maxInFlight) + 2),
                "sync.schedule = 0 0 0 1 1 ? 2099", "sync.batch-size = " + batchSize,
                "sync.retry.max-attempts = 0", "sync.retry.initial-delay-ms = 100", "sync.retry.max-delay-ms = 100",
                "camel.route-template[orders].template-id = table-sync",
                "camel.route-template[orders].table = orders", "camel.route-template[orders].cursor = updated_at", ""));
        return dir;
    }

    /** Rows per second of one backfill; fails when the pass failed. */
    private static double backfill(SyncApplication app, int rows) {
        double seconds = backfill(app);
        if (seconds < 0) {
            throw new IllegalStateException("the backfill failed");
        }
        return rows / seconds;
    }

    /** Seconds the backfill took; negative when the pass failed. */
    private static double backfill(SyncApplication app) {
        Jit.awaitQuiet();
        long start = System.nanoTime();
        boolean ok = TableRunner.runOnce(app.camel(), "orders");
        double seconds = (System.nanoTime() - start) / 1e9;
        return ok ? seconds : -seconds;
    }
}
