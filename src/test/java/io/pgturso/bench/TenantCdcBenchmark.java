package io.pgturso.bench;

import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.FakeTursoPlatform;
import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The change stream into a Turso database per tenant over a simulated WAN: {@code tenants} tenant databases on the
 * libSQL test server (a database per host name, new ones created through a fake of the Platform API), each Postgres
 * transaction updating one row of every tenant (one exchange: grouping off), {@code exchanges} of them queued, then the
 * stream timed until the last one is in the control database, at a round trip of {@code rtt} ms per request. Each
 * {@code sync.fan-out.writers} value in turn, rounds interleaved (A B A B), same run. Run: {@code mvn -Pbench-sync
 * -Dcase=tenant-cdc [-Dtenants=50 -Dexchanges=5 -Drtt=40 -Dwriters=1,8 -Drounds=2]}.
 */
public final class TenantCdcBenchmark {
    private static final String GROUP_TOKEN = "group-token";
    private static final String API_TOKEN = "platform-token";

    private TenantCdcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tenants = Integer.getInteger("tenants", 50);
        int exchanges = Integer.getInteger("exchanges", 5);
        int rtt = Integer.getInteger("rtt", 40);
        int rounds = Integer.getInteger("rounds", 2);
        int[] writers = Arrays.stream(System.getProperty("writers", "1,8").split(",")).mapToInt(Integer::parseInt).toArray();
        Path dir = Files.createTempDirectory("pg-turso-sync-tenant-cdc-bench");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%n%d tenant databases on the libSQL test server, %d ms round trip; each exchange one Postgres "
                + "transaction updating one row of every tenant%n| sync.fan-out.writers | round | exchanges | seconds | "
                + "seconds per exchange | row changes/s | requests per exchange |%n|---|---|---|---|---|---|---|", tenants, rtt));
        LibsqlTestServer turso = LibsqlTestServer.hosts(dir.resolve("turso")).token(GROUP_TOKEN);
        turso.proxyProperties().forEach(System::setProperty);
        FakeTursoPlatform platform = FakeTursoPlatform.start("acme", API_TOKEN, Set.of("tenants"), turso, "turso.test");
        String slot = CdcTesting.uniqueSlot();
        SyncHarness sync = SyncHarness.create(dir, new TestTarget() {
            @Override
            public String url() {
                return "http://{tenant}-acme.turso.test?allowTokenOverHttp=true";
            }

            @Override
            public JdbcTemplate jdbc() {
                return file(platform, "pgturso-control");
            }

            @Override
            public void close() {
            }
        }, LogicalPostgres.get().asTestPostgres());
        JdbcTemplate pg = sync.pg();
        try {
            sync.property("sync.fan-out.org", "acme").property("sync.fan-out.group", "tenants")
                    .property("sync.fan-out.api-url", platform.url()).property("sync.cdc.group-max-changes", "0")
                    .env("TURSO_AUTH_TOKEN", GROUP_TOKEN).env("TURSO_API_TOKEN", API_TOKEN);
            CdcTesting.streaming(sync, slot);
            pg.execute("DROP TABLE IF EXISTS bench_orders; DROP TABLE IF EXISTS bench_marks");
            pg.execute("CREATE TABLE bench_orders (id bigint PRIMARY KEY, tenant_id text, amount bigint)");
            pg.execute("CREATE TABLE bench_marks (id bigint PRIMARY KEY)");
            pg.update("INSERT INTO bench_orders SELECT g, 't' || g, 0 FROM generate_series(1, ?) g", tenants);
            sync.table("bench_orders", "table=bench_orders", "mode=cdc", "fan-out=tenant_id")
                    .table("bench_marks", "table=bench_marks", "mode=cdc");
            long mark = 0;
            for (int round = 1; round <= rounds; round++) {
                for (int w : writers) {
                    sync.property("sync.fan-out.writers", String.valueOf(w));
                    turso.latency(Duration.ZERO);
                    CdcTesting.startStreaming(sync);
                    mark = exchange(pg, mark);
                    awaitMark(platform, mark); // warm: every tenant database open, the statements prepared
                    turso.latency(Duration.ofMillis(rtt));
                    long requests = turso.requests();
                    long start = System.nanoTime();
                    for (int e = 0; e < exchanges; e++) {
                        mark = exchange(pg, mark);
                    }
                    awaitMark(platform, mark);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double perExchange = (turso.requests() - requests) / (double) exchanges;
                    turso.latency(Duration.ZERO);
                    sync.stop();
                    lines.add(String.format("| %d | %d | %d | %.2f | %.3f | %,.0f | %.0f |", w, round, exchanges, seconds,
                            seconds / exchanges, exchanges * (double) tenants / seconds, perExchange));
                    System.out.println(lines.get(lines.size() - 1));
                }
            }
        } finally {
            sync.close();
            CdcTesting.dropSlot(pg, slot);
            platform.close();
            turso.close();
            turso.proxyProperties().keySet().forEach(System::clearProperty);
            lines.forEach(System.out::println);
        }
    }

    /** One transaction: a row of every tenant updated, and a mark in the control database (a table without fan-out). */
    private static long exchange(JdbcTemplate pg, long mark) {
        long next = mark + 1;
        pg.execute("BEGIN; UPDATE bench_orders SET amount = amount + 1; INSERT INTO bench_marks VALUES (" + next + "); COMMIT");
        return next;
    }

    /** Waits until the control database holds the mark: its transaction commits after every tenant's part. */
    private static void awaitMark(FakeTursoPlatform platform, long mark) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        JdbcTemplate control = file(platform, "pgturso-control");
        while (System.nanoTime() < deadline) {
            try {
                if (control.queryForObject("SELECT count(*) FROM bench_marks WHERE id = ?", Long.class, mark) == 1) {
                    return;
                }
            } catch (org.springframework.dao.DataAccessException notYet) {
                // the table is made by the first copy
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("mark " + mark + " never reached the control database");
    }

    private static JdbcTemplate file(FakeTursoPlatform platform, String database) {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + platform.file(database));
        ds.getConfig().setBusyTimeout(30_000);
        return new JdbcTemplate(ds);
    }
}
