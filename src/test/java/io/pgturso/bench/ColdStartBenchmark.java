package io.pgturso.bench;

import io.pgturso.testing.TursoServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The shipped jar as users meet it first: a fresh process per command. (1) {@code once} and {@code status} with nothing
 * to do, by the launcher ({@code target/pg-turso-sync}: class-data sharing archive, quick JIT tier) and by plain
 * {@code java -jar}, against {@code sqlite3} answering a query on the same target (the floor); (2) a first backfill of
 * {@code rows} rows x 8 columns into a file, every CPU as a user's command has, against {@code sqlite3 .import} of the same
 * rows and against Postgres' COPY piped into it (the floor of any copy); (3) the same into
 * {@code tursodb} on a CPU of its own (Postgres and the sync on the others, as with a remote server), against the
 * server's own multi-row upserts of the same rows from this process on the sync's CPUs. Each pair is run in turn,
 * A B A B, and medians compared. Run: {@code mvn -Pbench-cold} ({@code -Drows=N -Druns=N -Drounds=N}; {@code
 * -Dparts=file,server} runs only the backfills, any of {@code idle,file,server}; {@code -Dcompare=sync.x=y} also times each backfill with
 * those settings, in turn; {@code -DcompareJar=PATH} times each backfill also with another build's jar, in turn;
 * {@code -DjavaOpts=...} adds JVM flags to the sync's processes, e.g. a flight
 * recording). With
 * {@code -Dcds.classlist=FILE} it writes instead the classes the commands load, for the archive.
 */
public final class ColdStartBenchmark {
    private static final Path PROJECT = Path.of(System.getProperty("project.dir", ".")).toAbsolutePath();
    private static final Path LAUNCHER = PROJECT.resolve("target/pg-turso-sync");
    private static final Path JAR = PROJECT.resolve("target/pg-turso-sync.jar");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** The line the shell's {@code time} prints, then user and system CPU seconds. */
    private static final String CPU_LINE = "pgturso-cpu ";
    /** CPU seconds (user and system) of the last command run by {@link #launcherTimed}. */
    private static double lastCpu = Double.NaN;
    /** Settings of a second sync run in turn with each backfill's ({@code -Dcompare=name=value,...}), or null. */
    private static final String COMPARE = System.getProperty("compare");
    /** Another build's jar run in turn with each backfill ({@code -DcompareJar=PATH}, its archive beside it), or null. */
    private static final String COMPARE_JAR = System.getProperty("compareJar");
    /** The jar the launcher runs in the next command (null: the project's own). */
    private static String jarOfNextCommand;

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        if (!Files.isRegularFile(JAR) || !Files.isRegularFile(PROJECT.resolve("target/pg-turso-sync.jsa"))) {
            throw new IllegalStateException("run mvn package first (the jar and its archive: " + JAR + ")");
        }
        Files.copy(PROJECT.resolve("src/main/sh/pg-turso-sync"), LAUNCHER, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        LAUNCHER.toFile().setExecutable(true);
        Path dir = Files.createTempDirectory("pg-turso-sync-cold");
        List<String> lines = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("shared_buffers", "512MB").start()) {
            fill(pg, rows);
            String classList = System.getProperty("cds.classlist");
            if (classList != null) {
                ClassListTraining.write(pg, dir, Path.of(classList));
                return;
            }
            List<String> parts = List.of(System.getProperty("parts", "idle,file,server").split(","));
            // a command typed by hand, run by cron or writing a local file has every CPU: measured before the backfill
            // into the server pins Postgres and the sync away from the server's CPU
            if (parts.contains("idle")) {
                nothingToDo(pg, dir.resolve("idle"), lines);
            }
            if (parts.contains("file")) {
                fileBackfill(pg, dir.resolve("file"), rows, lines);
            }
            if (parts.contains("server")) {
                Pins.sidePinned(pg);
                serverBackfill(pg, dir.resolve("server"), rows, lines);
            }
        } finally {
            lines.forEach(System.out::println);
            deleteTree(dir);
        }
    }

    /** {@code once} and {@code status} when every row is already copied, against {@code sqlite3} on the same target. */
    private static void nothingToDo(EmbeddedPostgres pg, Path dir, List<String> lines) throws Exception {
        Configs.write(pg, dir, "file:data/target.db", "small");
        mustSucceed(dir, launcher("once"));
        int runs = Integer.getInteger("runs", 5);
        List<String> floor = List.of("sqlite3", "data/target.db", "SELECT count(*) FROM small");
        Timings t = new Timings();
        for (int i = 0; i <= runs; i++) {
            boolean counted = i > 0;
            t.add(counted, "once (launcher)", time(dir, launcher("once")));
            t.add(counted, "once (java -jar)", time(dir, plainJar("once")));
            t.add(counted, "status (launcher)", time(dir, launcher("status")));
            t.add(counted, "status (java -jar)", time(dir, plainJar("status")));
            if (COMPARE_JAR != null) {
                // the other build in turn with this one, A B A B
                t.add(counted, "once (launcher), jar " + COMPARE_JAR, otherJar(dir, "once"));
                t.add(counted, "status (launcher), jar " + COMPARE_JAR, otherJar(dir, "status"));
            }
            t.add(counted, "sqlite3 SELECT count(*) on the target", time(dir, floor));
        }
        lines.add(String.format("%n| a fresh process, nothing to do (best / median of %d, s) | best | median | median / sqlite3 |"
                + "%n|---|---|---|---|", runs));
        double base = t.median("sqlite3 SELECT count(*) on the target");
        t.names().forEach(name -> lines.add(String.format("| %s | %.3f | %.3f | %.0fx |", name, t.best(name), t.median(name),
                t.median(name) / base)));
    }

    /** A first backfill into a new file, as one {@code once}, against {@code sqlite3 .import} of the same rows. */
    private static void fileBackfill(EmbeddedPostgres pg, Path dir, int rows, List<String> lines) throws Exception {
        Configs.write(pg, dir, "file:data/target.db", "orders");
        Path csv = null;
        String schema = null;
        Timings t = new Timings();
        int rounds = Integer.getInteger("rounds", 3);
        for (int round = 0; round <= rounds; round++) {
            deleteTree(dir.resolve("data"));
            if (COMPARE != null || COMPARE_JAR != null) {
                Path other = dir.resolve("compare");
                deleteTree(other);
                Configs.write(pg, other, "file:data/target.db", "orders", compareSettings());
                t.add(round > 0, "sync once (launcher), whole process, " + compared(), compareTime(other));
                t.add(round > 0, "sync once, CPU s, " + compared(), lastCpu);
            }
            double sync = time(dir, launcherTimed("once"));
            t.add(round > 0, "sync once, CPU s", lastCpu);
            Path db = dir.resolve("data/target.db");
            if (csv == null) {
                csv = dir.resolve("rows.csv");
                mustSucceed(dir, List.of("sqlite3", "-csv", db.toString(), ".once " + csv, "SELECT * FROM orders"));
                schema = Sqlite.schema(db);
            }
            t.add(round > 0, "sync once (launcher), whole process", sync);
            Path imported = dir.resolve("import.db");
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(imported + suffix));
            }
            mustSucceed(dir, List.of("sqlite3", imported.toString(), "PRAGMA journal_mode=WAL", schema));
            t.add(round > 0, "sqlite3 .import (CSV, same table, WAL)", time(dir, List.of("sqlite3", imported.toString(),
                    "PRAGMA synchronous=NORMAL", ".import --csv " + csv + " orders")));
            t.add(round > 0, PIPE, pipe(pg, dir, schema));
        }
        report(lines, "first backfill into a file (nothing pinned)", rows, rounds, t, "sync once (launcher), whole process",
                "sqlite3 .import (CSV, same table, WAL)");
        lines.add(String.format("the pipe (no JVM start, no conversion, no checkpoint): %.2fx of sqlite3 .import",
                t.median("sqlite3 .import (CSV, same table, WAL)") / t.median(PIPE)));
    }

    /** The pipe a hand-written copy would use, timed as a floor: no tool can read Postgres and write SQLite faster here. */
    private static final String PIPE = "Postgres COPY (ordered) TO STDOUT CSV piped into sqlite3 .import";

    /** Wall seconds of Postgres' COPY of the table, in the pass's order, streamed into {@code sqlite3 .import} of a new file. */
    private static double pipe(EmbeddedPostgres pg, Path dir, String schema) throws Exception {
        Path piped = dir.resolve("piped.db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(piped + suffix));
        }
        mustSucceed(dir, List.of("sqlite3", piped.toString(), "PRAGMA journal_mode=WAL", schema));
        long start = System.nanoTime();
        Process sqlite = new ProcessBuilder("sqlite3", piped.toString(), "PRAGMA synchronous=NORMAL",
                ".import --csv /dev/stdin orders").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (Connection c = pg.getPostgresDatabase().getConnection();
             java.io.OutputStream in = new java.io.BufferedOutputStream(sqlite.getOutputStream(), 1 << 16)) {
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                    .copyOut("COPY (SELECT * FROM orders ORDER BY updated_at, id) TO STDOUT (FORMAT csv)", in);
        }
        if (!sqlite.waitFor(10, TimeUnit.MINUTES) || sqlite.exitValue() != 0) {
            sqlite.destroyForcibly();
            throw new IllegalStateException("sqlite3 .import from the pipe failed");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** A first backfill into tursodb on a CPU of its own, against the server's own ingest of the same rows. */
    private static void serverBackfill(EmbeddedPostgres pg, Path dir, int rows, List<String> lines) throws Exception {
        Timings t = new Timings();
        int rounds = Integer.getInteger("rounds", 3);
        for (int round = 0; round <= rounds; round++) {
            Path run = dir.resolve("round-" + round);
            if (COMPARE != null || COMPARE_JAR != null) {
                Path other = run.resolve("compare");
                try (TursoServer server = Pins.server(TursoServer.start(other.resolve("sync.db")))) {
                    Configs.write(pg, other, server.url(), "orders", compareSettings());
                    t.add(round > 0, "sync once (launcher), whole process, " + compared(), compareTime(other));
                    t.add(round > 0, "sync once, CPU s, " + compared(), lastCpu);
                }
            }
            try (TursoServer server = Pins.server(TursoServer.start(run.resolve("sync.db")))) {
                Configs.write(pg, run, server.url(), "orders");
                t.add(round > 0, "sync once (launcher), whole process", time(run, launcherTimed("once")));
                t.add(round > 0, "sync once, CPU s", lastCpu);
            }
            try (TursoServer server = Pins.server(TursoServer.start(run.resolve("ingest.db")))) {
                long cpu = processCpuNanos();
                t.add(round > 0, "the server's ingest: multi-row upserts, this JVM", ServerIngest.seconds(server.jdbcUrl(), rows));
                // this JVM does nothing else meanwhile: the client's share of the CPU the sync shares with Postgres
                t.add(round > 0, "the server's ingest, CPU s of this JVM", (processCpuNanos() - cpu) / 1e9);
            }
            deleteTree(run);
        }
        report(lines, "first backfill into tursodb (" + Pins.describe() + ")", rows, rounds, t,
                "sync once (launcher), whole process", "the server's ingest: multi-row upserts, this JVM");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String compareSettings() {
        return COMPARE == null ? "" : COMPARE;
    }

    /** What the second run of each backfill differs by: its settings, its jar, or both. */
    /** Wall seconds of the command by the launcher with the other jar. */
    private static double otherJar(Path dir, String command) throws Exception {
        jarOfNextCommand = COMPARE_JAR;
        try {
            return time(dir, launcher(command));
        } finally {
            jarOfNextCommand = null;
        }
    }

    private static String compared() {
        return COMPARE_JAR == null ? COMPARE : COMPARE == null ? "jar " + COMPARE_JAR : COMPARE + ", jar " + COMPARE_JAR;
    }

    /** Wall seconds of {@code once} in {@code dir} by the other jar, if one is compared. */
    private static double compareTime(Path dir) throws Exception {
        jarOfNextCommand = COMPARE_JAR;
        try {
            return time(dir, launcherTimed("once"));
        } finally {
            jarOfNextCommand = null;
        }
    }

    private static void report(List<String> lines, String what, int rows, int rounds, Timings t, String sync, String yardstick) {
        lines.add(String.format("%n| %s, %,d rows (median of %d) | s | rows/s |%n|---|---|---|", what, rows, rounds));
        t.names().forEach(name -> lines.add(String.format("| %s | %.2f | %,.0f |", name, t.median(name), rows / t.median(name))));
        lines.add(String.format("ratio (rows/s, medians): %.2fx of %s", t.median(yardstick) / t.median(sync), yardstick));
    }

    static Path launcherJar() {
        return JAR;
    }

    static List<String> launcher(String command) {
        return List.of(LAUNCHER.toString(), command);
    }

    /** The launcher run by the shell's {@code time}, which prints the process's CPU seconds ({@link #lastCpu}). */
    private static List<String> launcherTimed(String command) {
        return List.of("bash", "-c", "TIMEFORMAT='" + CPU_LINE + "%3U %3S'; time \"$0\" \"$@\"", LAUNCHER.toString(), command);
    }

    private static List<String> plainJar(String command) {
        return List.of(JAVA, "-jar", JAR.toString(), command);
    }

    /** Wall seconds of the command as a fresh process; fails when it fails. */
    static double time(Path dir, List<String> command) throws Exception {
        long start = System.nanoTime();
        mustSucceed(dir, command);
        return (System.nanoTime() - start) / 1e9;
    }

    static void mustSucceed(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("cold-start", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("JAVA_OPTS", ("-Xmx256m " + System.getProperty("javaOpts", "")).trim());
            if (jarOfNextCommand != null) {
                builder.environment().put("PGTURSO_JAR", jarOfNextCommand);
            }
            Process p = builder.start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
            try (Stream<String> out = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                out.filter(l -> l.startsWith(CPU_LINE)).reduce((a, b) -> b).ifPresent(l -> {
                    String[] parts = l.substring(CPU_LINE.length()).trim().split(" ");
                    lastCpu = Double.parseDouble(parts[0]) + Double.parseDouble(parts[1]);
                });
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void fill(EmbeddedPostgres pg, int rows) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE postgres SET timezone = 'UTC'");
            s.execute("CREATE TABLE small (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL)");
            s.execute("CREATE INDEX ON small (updated_at, id)");
            s.execute("INSERT INTO small SELECT g, 'name ' || g, '2024-01-01'::timestamptz + g * interval '1 second' "
                    + "FROM generate_series(1, 1000) g");
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, email text, total numeric(12, 2), "
                    + "qty int, paid boolean, note text, updated_at timestamptz NOT NULL)");
            s.execute("CREATE INDEX ON orders (updated_at, id)");
            s.execute("INSERT INTO orders SELECT g, 'customer ' || (g % 5000), 'user' || g || '@example.com', "
                    + "(g % 100000) / 100.0, g % 17, g % 2 = 0, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END, "
                    + "'2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, " + rows + ") g");
            s.execute("VACUUM ANALYZE");
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The configuration directory of one run: the project's routes and a minimal application.properties. */
    static final class Configs {
        static void write(EmbeddedPostgres pg, Path dir, String targetUrl, String table) throws IOException {
            write(pg, dir, targetUrl, table, "");
        }

        /** As above, with {@code extra} settings ({@code name=value}, comma-separated) added. */
        static void write(EmbeddedPostgres pg, Path dir, String targetUrl, String table, String extra) throws IOException {
            Files.createDirectories(dir.resolve("routes"));
            try (Stream<Path> files = Files.list(PROJECT.resolve("routes"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, dir.resolve("routes").resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(dir.resolve("application.properties"), String.join("\n",
                    "sync.source.url = " + pg.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*", ""),
                    "sync.source.user = postgres", "sync.source.password = postgres",
                    "sync.target.url = " + targetUrl,
                    "camel.route-template[" + table + "].template-id = table-sync",
                    "camel.route-template[" + table + "].table = " + table,
                    "camel.route-template[" + table + "].cursor = updated_at", extra.replace(",", "\n"), ""));
        }
    }

    /** The table definition the sync made, for {@code sqlite3 .import} into an empty table of the same definition. */
    static final class Sqlite {
        static String schema(Path db) throws Exception {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'orders'")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Named wall times, the warm-up runs left out. */
    static final class Timings {
        private final java.util.Map<String, List<Double>> seconds = new java.util.LinkedHashMap<>();

        void add(boolean counted, String name, double value) {
            List<Double> list = seconds.computeIfAbsent(name, n -> new ArrayList<>());
            if (counted) {
                list.add(value);
            }
        }

        Set<String> names() {
            return new LinkedHashSet<>(seconds.keySet());
        }

        double best(String name) {
            return seconds.get(name).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double median(String name) {
            List<Double> sorted = seconds.get(name).stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }
}
