package io.pgturso.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's own pace: the rows the cold-start benchmark copies (the sync's table and values), sent from memory as the
 * sync's guarded upserts, 5,000 rows a request (the driver makes 500-row statements of them), 4 requests at once,
 * after a warm-up, so that the client is as fast as it gets.
 */
final class ServerIngest {
    private static final String TABLE = "CREATE TABLE orders (\"id\" INTEGER NOT NULL, \"customer\" TEXT, \"email\" TEXT, "
            + "\"total\" TEXT, \"qty\" INTEGER, \"paid\" INTEGER, \"note\" TEXT, \"updated_at\" TEXT, PRIMARY KEY (\"id\"))";
    private static final String UPSERT = "INSERT INTO \"orders\" (\"id\", \"customer\", \"email\", \"total\", \"qty\", \"paid\", "
            + "\"note\", \"updated_at\") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (\"id\") DO UPDATE SET "
            + "\"customer\" = excluded.\"customer\", \"email\" = excluded.\"email\", \"total\" = excluded.\"total\", "
            + "\"qty\" = excluded.\"qty\", \"paid\" = excluded.\"paid\", \"note\" = excluded.\"note\", "
            + "\"updated_at\" = excluded.\"updated_at\" WHERE excluded.\"updated_at\" >= \"orders\".\"updated_at\"";
    private static final int PAGE = 5_000;
    private static final int IN_FLIGHT = 4;
    private static boolean warm;

    private ServerIngest() {
    }

    /** Seconds to upsert {@code rows} rows into a new table of the server (warmed up once per JVM on the same server). */
    static double seconds(String jdbcUrl, int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(TABLE);
        }
        if (!warm) {
            send(jdbcUrl, Math.min(rows, 200_000));
            warm = true;
        }
        long start = System.nanoTime();
        send(jdbcUrl, rows);
        return (System.nanoTime() - start) / 1e9;
    }

    private static void send(String jdbcUrl, int rows) throws Exception {
        AtomicInteger nextPage = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < IN_FLIGHT; t++) {
                writers.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                        for (int first = nextPage.getAndIncrement() * PAGE + 1; first <= rows;
                                first = nextPage.getAndIncrement() * PAGE + 1) {
                            for (int g = first; g <= Math.min(first + PAGE - 1, rows); g++) {
                                bind(upsert, g);
                                upsert.addBatch();
                            }
                            upsert.executeBatch();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Row {@code g} as the sync writes it (the benchmark's generate_series row, Postgres types mapped). */
    private static void bind(PreparedStatement upsert, int g) throws java.sql.SQLException {
        upsert.setLong(1, g);
        upsert.setString(2, "customer " + g % 5000);
        upsert.setString(3, "user" + g + "@example.com");
        upsert.setString(4, java.math.BigDecimal.valueOf(g % 100000, 2).toPlainString());
        upsert.setLong(5, g % 17);
        upsert.setLong(6, g % 2 == 0 ? 1 : 0);
        upsert.setString(7, g % 3 == 0 ? null : "note " + g);
        upsert.setString(8, java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(g) + "");
    }
}
