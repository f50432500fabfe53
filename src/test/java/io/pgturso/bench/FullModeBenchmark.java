package io.pgturso.bench;

import io.pgturso.app.SyncApplication;
import io.pgturso.source.TableRegistry;
import io.pgturso.pass.TableRunner;
import io.pgturso.verify.ComparisonResult;
import io.pgturso.verify.TableComparison;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Full mode on a table of {@code rows} rows of 8 columns (the backfill benchmark's table) into a local file target: the
 * first pass (everything copied) against a timestamp-mode backfill of the same rows, then a second pass after 0.1% of the
 * rows changed (updates, inserts and deletes) against {@code verify} of the same table in the same run. Rows written are
 * counted on the target by triggers. Each timing is taken {@code rounds} times, interleaved; the best of each is compared.
 * Run: {@code mvn -Pbench-sync -Dcase=full} (also at the end of the default file-target run).
 */
final class FullModeBenchmark {
    private FullModeBenchmark() {
    }

    /** Runs the case on the table {@code orders} of {@code pg} (left as it was found) and adds its lines. */
    static void run(EmbeddedPostgres pg, Path dir, int rows, String batchSize, List<String> lines) throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        int changed = rows / 1000;
        lines.add(String.format("%n| full mode, local file: what | rows | seconds | rows/s |%n|---|---|---|---|"));
        double bestBackfill = Double.MAX_VALUE;
        double bestFirst = Double.MAX_VALUE;
        double bestSecond = Double.MAX_VALUE;
        double bestVerify = Double.MAX_VALUE;
        List<String> perRound = new ArrayList<>();
        // a first round warms the JVM up (a running sync is warm); its figures are printed but not compared
        for (int round = 0; round <= rounds; round++) {
            String label = round == 0 ? "JVM warm-up, " : "round " + round + ", ";
            double backfill = pass(pg, dir.resolve("ts-" + round), batchSize, "cursor = updated_at");
            lines.add(String.format("| %stimestamp-mode backfill | %d | %.2f | %,.0f |", label, rows, backfill, rows / backfill));
            Path full = dir.resolve("full-" + round);
            Timings t = fullPasses(pg, full, rows, batchSize, changed);
            lines.add(String.format("| %sfull mode, first pass (copies every row) | %d | %.2f | %,.0f |", label, rows, t.first(),
                    rows / t.first()));
            lines.add(String.format("| %sfull mode, second pass (%d rows changed: %d rows written, counted on the target) | %d "
                    + "| %.2f | %,.0f |", label, changed, t.written(), rows, t.second(), rows / t.second()));
            lines.add(String.format("| %sverify of the same table (%s) | %d | %.2f | %,.0f |", label, t.verifyResult(), rows,
                    t.verify(), rows / t.verify()));
            if (t.written() != changed) {
                lines.add(String.format("SECOND PASS WROTE %d ROWS, NOT %d", t.written(), changed));
            }
            deleteTree(dir.resolve("ts-" + round));
            deleteTree(full);
            if (round > 0) {
                bestBackfill = Math.min(bestBackfill, backfill);
                bestFirst = Math.min(bestFirst, t.first());
                bestSecond = Math.min(bestSecond, t.second());
                bestVerify = Math.min(bestVerify, t.verify());
                perRound.add(String.format("%.2fx / %.2fx", t.first() / backfill, t.second() / t.verify()));
            }
        }
        lines.add("each round, first full pass / timestamp backfill and second full pass / verify (time): "
                + String.join(", ", perRound));
        lines.add(String.format("best of %d each: first full pass / timestamp backfill %.2fx (%.2f s / %.2f s); second full pass "
                + "/ verify %.2fx (%.2f s / %.2f s)", rounds, bestFirst / bestBackfill, bestFirst, bestBackfill,
                bestSecond / bestVerify, bestSecond, bestVerify));
    }

    private record Timings(double first, double second, double verify, long written, String verifyResult) {
    }

    /** Full mode into a fresh target: first pass, 0.1% changed, second pass (writes counted), verify; Postgres restored. */
    private static Timings fullPasses(EmbeddedPostgres pg, Path dir, int rows, String batchSize, int changed) throws Exception {
        Path db = dir.resolve("bench.db");
        setUp(pg, dir, batchSize, "mode = full", db);
        boolean changedRows = false;
        try (SyncApplication app = SyncApplication.start(dir, Map.of(), false)) {
            double first = timed(() -> TableRunner.runOnce(app.camel(), "orders"));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bench_writes (n INTEGER NOT NULL)");
                s.execute("INSERT INTO bench_writes VALUES (0)");
                for (String event : List.of("INSERT", "UPDATE", "DELETE")) {
                    s.execute("CREATE TRIGGER bench_" + event + " AFTER " + event + " ON orders BEGIN UPDATE bench_writes SET n = n + 1; END");
                }
            }
            // 0.1% of the rows: 80% updated, 10% deleted, 10% inserted
            int updates = changed * 8 / 10;
            int deletes = changed / 10;
            int inserts = changed - updates - deletes;
            int step = rows / changed;
            changedRows = true;
            sql(pg, "UPDATE orders SET qty = qty + 1 WHERE id % " + step + " = 0 AND id <= " + (long) updates * step);
            sql(pg, "CREATE TABLE orders_deleted AS SELECT * FROM orders WHERE id % " + step + " = 1 AND id <= " + (long) deletes * step);
            sql(pg, "DELETE FROM orders WHERE id IN (SELECT id FROM orders_deleted)");
            sql(pg, "INSERT INTO orders SELECT id + " + rows + ", customer, email, total, qty, paid, note, updated_at FROM orders "
                    + "WHERE id BETWEEN 2 AND " + (inserts + 1));
            double second = timed(() -> TableRunner.runOnce(app.camel(), "orders"));
            long written;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT n FROM bench_writes")) {
                rs.next();
                written = rs.getLong(1);
            }
            TableRegistry tables = app.camel().getRegistry().lookupByNameAndType("tables", TableRegistry.class);
            DataSource source = app.camel().getRegistry().lookupByNameAndType("source", DataSource.class);
            DataSource target = app.camel().getRegistry().lookupByNameAndType("target", DataSource.class);
            ComparisonResult[] result = new ComparisonResult[1];
            double verify = timed(() -> {
                result[0] = new TableComparison(10_000, 10).compare(tables.spec(tables.config("orders").orElseThrow()), source, target);
                return true;
            });
            return new Timings(first, second, verify, written, result[0].isEqual() ? "equal" : "DIFFERENT: " + result[0]);
        } finally {
            if (changedRows) {
                restore(pg, rows, changed);
            }
        }
    }

    /** Postgres as before the changes: the inserted rows gone, the deleted ones back, the updated ones as they were. */
    private static void restore(EmbeddedPostgres pg, int rows, int changed) throws Exception {
        sql(pg, "DELETE FROM orders WHERE id > " + rows);
        sql(pg, "INSERT INTO orders SELECT * FROM orders_deleted");
        sql(pg, "DROP TABLE orders_deleted");
        sql(pg, "UPDATE orders SET qty = qty - 1 WHERE id % " + (rows / changed) + " = 0 AND id <= "
                + (long) (changed * 8 / 10) * (rows / changed));
        sql(pg, "VACUUM ANALYZE orders");
    }

    /** A pass of the table in {@code mode} into a fresh target; returns its seconds. */
    private static double pass(EmbeddedPostgres pg, Path dir, String batchSize, String mode) throws Exception {
        setUp(pg, dir, batchSize, mode, dir.resolve("bench.db"));
        try (SyncApplication app = SyncApplication.start(dir, Map.of(), false)) {
            return timed(() -> TableRunner.runOnce(app.camel(), "orders"));
        }
    }

    private static void setUp(EmbeddedPostgres pg, Path dir, String batchSize, String mode, Path db) throws Exception {
        Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("project.dir", ".")).resolve("routes"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve("routes").resolve(f.getFileName()));
            }
        }
        String[] m = mode.split(" = ");
        Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "sync.source.url = " + pg.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*", ""),
                "sync.source.user = postgres", "sync.source.password = postgres", "sync.target.url = file:" + db,
                "sync.schedule = 0 0 0 1 1 ? 2099", "sync.retry.max-attempts = 0", "sync.batch-size = " + batchSize,
                "camel.route-template[orders].template-id = table-sync", "camel.route-template[orders].table = orders",
                "camel.route-template[orders]." + m[0] + " = " + m[1]) + "\n");
    }

    private interface Step {
        boolean run() throws Exception;
    }

    private static double timed(Step step) throws Exception {
        long start = System.nanoTime();
        if (!step.run()) {
            throw new IllegalStateException("the pass failed");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void sql(EmbeddedPostgres pg, String sql) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
