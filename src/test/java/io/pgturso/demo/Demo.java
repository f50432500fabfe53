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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.spi.Registry;
import org.slf4j.LoggerFactory;

/**
 * Shows the sync end to end with no Postgres of your own: starts an embedded Postgres with sample customers and
 * orders, keeps changing a few rows, and runs the sync with this directory's application.properties and routes/
 * (target: data/demo.db), printing the status table now and then. Run it with {@code mvn -Pdemo}; stop it with Ctrl+C.
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
        env.putIfAbsent("TURSO_DATABASE_URL", "file:data/demo.db");
        // a quicker rhythm than production's defaults, so there is something to watch at once
        System.setProperty("sync.schedule", "0/2 * * * * ?");
        System.setProperty("sync.progress.interval-ms", "2000");
        System.out.println("Demo: every 5 s, 3 orders are shipped and 1 new order is placed; every table syncs every 2 s into "
                + env.get("TURSO_DATABASE_URL") + ". Health: http://localhost:9876/observe/health, metrics: "
                + "http://localhost:9876/observe/metrics. Stop with Ctrl+C.");
        SyncApplication app;
        try {
            app = SyncApplication.start(Path.of("."), env, true);
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
