package io.pgturso.demo;

import io.pgturso.App;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows the sync end to end with no Postgres of your own: starts an embedded Postgres with sample customers and
 * orders, keeps changing a few rows, and runs {@code pg-turso-sync run} with this directory's application.properties
 * and routes/ (target: data/demo.db). Run it with {@code mvn -Pdemo}; stop it with Ctrl+C.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, email text,
                      updated_at timestamptz NOT NULL DEFAULT now());
                    CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10, 2),
                      status text, items jsonb, updated_at timestamptz NOT NULL DEFAULT now());
                    INSERT INTO customers (name, email) SELECT 'Customer ' || g, 'c' || g || '@example.com' FROM generate_series(1, 200) g;
                    INSERT INTO orders (customer_id, total, status, items)
                      SELECT 1 + g % 200, (g % 1000) / 7.0, 'new', jsonb_build_array(jsonb_build_object('sku', 'A' || g, 'qty', g % 5))
                      FROM generate_series(1, 5000) g;""");
        }
        ScheduledExecutorService changes = Executors.newSingleThreadScheduledExecutor();
        changes.scheduleAtFixedRate(() -> {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE orders SET status = 'shipped', updated_at = now() WHERE id IN (SELECT id FROM orders WHERE status = 'new' ORDER BY random() LIMIT 3);"
                        + "INSERT INTO orders (customer_id, total, status) VALUES (1 + (random() * 199)::int, 19.99, 'new')");
            } catch (Exception e) {
                System.err.println("demo: could not change sample rows: " + e.getMessage());
            }
        }, 5, 5, TimeUnit.SECONDS);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DATABASE_URL", pg.getJdbcUrl("postgres", "postgres"));
        env.put("PGUSER", "postgres");
        env.put("PGPASSWORD", "postgres");
        env.putIfAbsent("TURSO_DATABASE_URL", "file:data/demo.db");
        System.out.println("Demo: embedded Postgres with 200 customers and 5000 orders; 3 orders change every 5 s. Target: "
                + env.get("TURSO_DATABASE_URL") + ". Stop with Ctrl+C.");
        int exit = App.run(args.length == 0 ? new String[] {"run", "--config", Path.of(".").toString()} : args, env, System.out, System.err);
        changes.shutdownNow();
        pg.close();
        System.exit(exit);
    }
}
