package io.pgturso.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.pgturso.app.SyncApplication;
import io.pgturso.cli.StatusReport;
import io.pgturso.config.ConfigException;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.target.CheckpointStore;
import io.pgturso.source.TableRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.spi.Registry;
import org.slf4j.LoggerFactory;

/**
 * Shows the sync end to end with no Postgres of your own: starts an embedded Postgres with sample customers and
 * orders, keeps changing a few rows, and runs the sync with this directory's application.properties, the demo's tables
 * (examples/demo-tables.properties) and routes/ (target: data/demo.db, emptied at each start), printing the status
 * table now and then. Run it with {@code mvn -Pdemo}; stop it with Ctrl+C.
 */
public final class Demo {
    private static final int CUSTOMERS = 200;
    private static final int ORDERS = 100_000;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        ((Logger) LoggerFactory.getLogger("io.zonky")).setLevel(Level.WARN);
        System.out.println("Demo: starting an embedded Postgres with " + CUSTOMERS + " customers and " + ORDERS + " orders...");
        // stopped by our own hook, after the sync: a pass never sees Postgres vanish under it
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, email text,
                      updated_at timestamptz NOT NULL DEFAULT now());
                    CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10, 2),
                      status text, items jsonb, updated_at timestamptz NOT NULL DEFAULT now());
                    INSERT INTO customers (name, email) SELECT 'Customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, %d) g;
                    INSERT INTO orders (customer_id, total, status, items)
                      SELECT 1 + g %% %d, (g %% 1000) / 7.0, 'new', jsonb_build_array(jsonb_build_object('sku', 'A' || g, 'qty', g %% 5))
                      FROM generate_series(1, %d) g;
                    CREATE INDEX ON customers (updated_at, id);
                    CREATE INDEX ON orders (updated_at, id);""".formatted(CUSTOMERS, CUSTOMERS, ORDERS));
        }
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
        background.scheduleAtFixedRate(() -> {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE orders SET status = 'shipped', updated_at = now() WHERE id IN (SELECT id FROM orders WHERE status = 'new' ORDER BY random() LIMIT 3);"
                        + "INSERT INTO orders (customer_id, total, status) VALUES (1 + (random() * " + (CUSTOMERS - 1) + ")::int, 19.99, 'new')");
            } catch (Exception e) {
                System.err.println("demo: could not change sample rows: " + e.getMessage());
            }
        }, 5, 5, TimeUnit.SECONDS);

        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"));
        env.put("PGUSER", "postgres");
        env.put("PGPASSWORD", "postgres");
        if (!env.containsKey("TURSO_DATABASE_URL")) {
            // the embedded Postgres is new each run, so the target starts empty too: no rows left from an earlier run
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of("data/demo.db" + suffix));
            }
            env.put("TURSO_DATABASE_URL", "file:" + Path.of("data/demo.db").toAbsolutePath());
        }
        // a quicker rhythm than production's defaults, so there is something to watch at once
        System.setProperty("sync.schedule", "0/2 * * * * ?");
        System.setProperty("sync.progress.interval-ms", "2000");
        System.out.println("Demo: every 5 s, 3 orders are shipped and 1 new order is placed; every table syncs every 2 s into "
                + env.get("TURSO_DATABASE_URL") + ". Health: http://localhost:9876/observe/health, metrics: "
                + "http://localhost:9876/observe/metrics. Stop with Ctrl+C.");
        SyncApplication app;
        try {
            app = SyncApplication.start(config(), env, true);
        } catch (ConfigException e) {
            System.err.println("pg-turso-sync: " + e.getMessage());
            background.shutdownNow();
            pg.close();
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            background.shutdownNow();
            app.close();
            try {
                pg.close();
            } catch (java.io.IOException e) {
                System.err.println("demo: could not stop Postgres: " + e.getMessage());
            }
        }, "demo-shutdown"));
        background.scheduleAtFixedRate(() -> printStatus(app), 15, 30, TimeUnit.SECONDS);
        app.awaitShutdown();
    }

    /**
     * The demo's configuration: this directory's application.properties plus the demo's tables
     * (examples/demo-tables.properties), and a copy of this directory's routes/ (edit target/demo-config/routes/ to see
     * an edit taken up while the demo runs).
     */
    private static Path config() throws java.io.IOException {
        Path dir = Path.of("target/demo-config");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("application.properties"), Files.readString(Path.of("application.properties")) + "\n"
                + Files.readString(Path.of("examples/demo-tables.properties")));
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, routes.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** The status table, as {@code java -jar pg-turso-sync.jar status} prints it. */
    private static void printStatus(SyncApplication app) {
        try {
            Registry r = app.camel().getRegistry();
            System.out.println();
            new StatusReport(r.lookupByNameAndType("tables", TableRegistry.class), r.lookupByNameAndType("checkpoints", CheckpointStore.class),
                    r.lookupByNameAndType("deadLetterStore", DeadLetterStore.class), r.lookupByNameAndType("source", DataSource.class))
                    .print(System.out);
            System.out.println();
        } catch (RuntimeException e) {
            System.err.println("demo: status failed: " + e.getMessage());
        }
    }
}
