package io.pgturso.bench;

import io.pgturso.cdc.CdcConnections;
import io.pgturso.cdc.LogicalStream;
import io.pgturso.cdc.StreamOptions;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.cdc.pgoutput.PgOutputMessage;
import io.pgturso.testing.CdcTesting;
import io.pgturso.testing.LogicalPostgres;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Prints the change stream's speed: {@code changes} row changes (inserts, updates, deletes; half in transactions of 100
 * rows, half in transactions of 1) applied into a local file target and into the project's libSQL test server (no
 * added round trip), against the rate at which the same changes are read from slots of their own without writing (the
 * source's limit): by Postgres' own pg_recvlogical into /dev/null (when installed), and by the sync's reader and
 * decoder, in the same run; then the lag from commit to visible in the target at 1,000 changes/s
 * (p50, p99). The JVM is not warmed up before the first measurement. Run: {@code mvn -Pbench-cdc} (optional
 * {@code -Dchanges=N}, default 1,000,000; {@code -DlagSeconds=N}, default 20).
 */
public final class CdcBenchmark {
    private static final String PUBLICATION = "bench_cdc";
    private static final String READ_SLOT = "bench_cdc_read";
    private static final String RECV_SLOT = "bench_cdc_recv";
    /** The last transaction's commit position, as the decoding reader saw it. */
    private static long lastCommit;

    private CdcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int changes = Integer.getInteger("changes", 1_000_000);
        int lagSeconds = Integer.getInteger("lagSeconds", 20);
        Path dir = Files.createTempDirectory("pg-turso-sync-cdc-bench");
        List<String> lines = new ArrayList<>();
        LogicalPostgres postgres = LogicalPostgres.get();
        Files.createDirectories(dir.resolve("file"));
        Files.createDirectories(dir.resolve("server"));
        try (TestTarget server = TestTarget.libsqlServer(dir.resolve("server"));
                SyncHarness file = SyncHarness.create(dir.resolve("file"), TestTarget.file(dir.resolve("file")),
                        postgres.asTestPostgres());
                SyncHarness remote = SyncHarness.create(dir.resolve("server"), server, postgres.asTestPostgres())) {
            JdbcTemplate pg = file.pg();
            try {
                run(file, remote, pg, postgres, changes, lagSeconds, lines);
            } finally {
                for (String slot : List.of(READ_SLOT, RECV_SLOT, "bench_cdc_file", "bench_cdc_server")) {
                    pg.queryForList("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ? "
                            + "AND NOT active", slot);
                }
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
    }

    private static void run(SyncHarness file, SyncHarness remote, JdbcTemplate pg, LogicalPostgres postgres, int changes,
            int lagSeconds, List<String> lines) throws Exception {
        remote.property("sync.source.url", file.pgUrl());
        pg.execute("CREATE TABLE bench (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(12, 2), qty int, note text)");
        pg.execute("CREATE TABLE lagtab (id bigint PRIMARY KEY, note text)");
        for (SyncHarness h : List.of(file, remote)) {
            h.property("sync.cdc.slot", h == file ? "bench_cdc_file" : "bench_cdc_server")
                    .property("sync.cdc.publication", PUBLICATION)
                    .table("bench", "table=bench", "mode=cdc").table("lagtab", "table=lagtab", "mode=cdc");
            // the first start creates the publication and the slot, and copies the (empty) tables
            CdcTesting.startStreaming(h);
            h.stop();
        }
        for (String slot : List.of(READ_SLOT, RECV_SLOT)) {
            pg.queryForObject("SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')", String.class, slot);
        }
        String recvlogical = recvlogical();
        CdcConnections connections = new CdcConnections(file.pgUrl(), postgres.user(), postgres.password());

        lines.add(String.format("%n| changes | in transactions of | pg_recvlogical to /dev/null, changes/s | read and decoded by "
                + "the sync's reader, changes/s | file target, changes/s (x of read) | libSQL test server, changes/s (x of read) "
                + "|%n|---|---|---|---|---|---|"));
        long marker = -1;
        for (int size : new int[] {100, 1}) {
            long generating = System.nanoTime();
            int made = size == 100 ? hundreds(pg, changes / 2) : singles(pg, changes / 2);
            pg.update("INSERT INTO bench VALUES (?, 'marker', 0, 0, NULL)", marker);
            System.out.printf("generated %,d changes in transactions of %d in %.1f s%n", made, size,
                    (System.nanoTime() - generating) / 1e9);
            double read = made / decode(connections, made + 1);
            String recv = recvlogical == null ? "not installed" : String.format("%,.0f",
                    made / receive(recvlogical, file.pgUrl(), postgres.user(), postgres.password(), lastCommit));
            double toFile = made / apply(file, marker);
            double toServer = made / apply(remote, marker);
            lines.add(String.format("| %,d | %d | %s | %,.0f | %,.0f (%.2fx) | %,.0f (%.2fx) |", made, size, recv, read, toFile,
                    toFile / read, toServer, toServer / read));
            System.out.println(lines.get(lines.size() - 1));
            marker--;
        }
        lines.add(String.format("%n| lag from commit to visible, 1,000 changes/s (transactions of 10 every 10 ms, %d s) | "
                + "p50 ms | p99 ms | max ms |%n|---|---|---|---|", lagSeconds));
        long next = 1;
        for (SyncHarness h : List.of(file, remote)) {
            CdcTesting.startStreaming(h);
            long caughtUp = next++;
            pg.update("INSERT INTO lagtab VALUES (?, 'caught up')", caughtUp);
            awaitRow(h, "SELECT count(*) FROM lagtab WHERE id = " + caughtUp);
            next = lag(pg, h, next, lagSeconds, h == file ? "file target" : "libSQL test server", lines);
            h.stop();
        }
    }

    /** Transactions of 100 changes: 100 rows inserted; the same updated; 50 of them deleted and 50 updated. */
    private static int hundreds(JdbcTemplate pg, int changes) {
        int groups = Math.max(1, changes / 300);
        // one session: the asynchronous commit (the generator's speed, not the stream's) holds for the block
        pg.execute("""
                SET synchronous_commit = off;
                DO $$ DECLARE b bigint; BEGIN
                FOR b IN 0..%d LOOP
                  INSERT INTO bench SELECT g, 'customer ' || (g %% 5000), (g %% 100000) / 100.0, g %% 17, 'note ' || g
                    FROM generate_series(b * 100 + 1, b * 100 + 100) g;
                  COMMIT;
                  UPDATE bench SET qty = qty + 1, note = 'updated' WHERE id BETWEEN b * 100 + 1 AND b * 100 + 100;
                  COMMIT;
                  DELETE FROM bench WHERE id BETWEEN b * 100 + 1 AND b * 100 + 50;
                  UPDATE bench SET total = total + 1 WHERE id BETWEEN b * 100 + 51 AND b * 100 + 100;
                  COMMIT;
                END LOOP; END $$""".formatted(groups - 1));
        return groups * 300;
    }

    /** Transactions of 1 change: a row inserted; updated; then deleted (even ids) or updated again (odd). */
    private static int singles(JdbcTemplate pg, int changes) {
        int rows = Math.max(1, changes / 3);
        // one session: the asynchronous commit (the generator's speed, not the stream's) holds for the block
        pg.execute("""
                SET synchronous_commit = off;
                DO $$ DECLARE i bigint; BEGIN
                FOR i IN 1000000001..%d LOOP
                  INSERT INTO bench VALUES (i, 'customer ' || (i %% 5000), (i %% 100000) / 100.0, i %% 17, 'note ' || i);
                  COMMIT;
                  UPDATE bench SET qty = qty + 1, note = 'updated' WHERE id = i;
                  COMMIT;
                  IF i %% 2 = 0 THEN DELETE FROM bench WHERE id = i; ELSE UPDATE bench SET total = total + 1 WHERE id = i; END IF;
                  COMMIT;
                END LOOP; END $$""".formatted(1_000_000_000L + rows));
        return rows * 3;
    }

    /** Reads the read-only slot until {@code expected} row changes were decoded; returns the seconds it took. */
    private static double decode(CdcConnections connections, long expected) throws Exception {
        long start = System.nanoTime();
        long seen = 0;
        try (LogicalStream stream = LogicalStream.open(connections, StreamOptions.of(READ_SLOT, PUBLICATION), Lsn.NONE)) {
            long commit = Lsn.NONE;
            while (seen < expected) {
                PgOutputMessage message = stream.readPending();
                if (message == null) {
                    TimeUnit.MILLISECONDS.sleep(1);
                } else if (message instanceof PgOutputMessage.Insert || message instanceof PgOutputMessage.Update
                        || message instanceof PgOutputMessage.Delete) {
                    seen++;
                } else if (message instanceof PgOutputMessage.Commit c) {
                    commit = c.endLsn();
                }
            }
            PgOutputMessage last;
            while (!((last = stream.readPending()) instanceof PgOutputMessage.Commit)) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            commit = ((PgOutputMessage.Commit) last).endLsn();
            lastCommit = ((PgOutputMessage.Commit) last).commitLsn();
            double seconds = (System.nanoTime() - start) / 1e9;
            stream.confirm(commit);
            stream.sendStatus();
            return seconds;
        }
    }

    /** Postgres' own pg_recvlogical, if installed (-Dpg_recvlogical=PATH, on the PATH, or in a Postgres bin directory). */
    private static String recvlogical() throws Exception {
        String given = System.getProperty("pg_recvlogical");
        if (given != null) {
            return given;
        }
        Process which = new ProcessBuilder("sh", "-c", "command -v pg_recvlogical || ls /usr/lib/postgresql/*/bin/pg_recvlogical "
                + "2>/dev/null | tail -1").redirectErrorStream(true).start();
        String found = new String(which.getInputStream().readAllBytes()).trim();
        which.waitFor();
        return found.isEmpty() ? null : found;
    }

    /**
     * The time pg_recvlogical takes to stream its own slot to /dev/null up to {@code endpos} (the last commit): what the
     * server can send, decoded by pgoutput, with no client-side work.
     */
    private static double receive(String binary, String jdbcUrl, String user, String password, long endpos) throws Exception {
        java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
        Path out = Files.createTempFile("pg_recvlogical", ".log");
        ProcessBuilder builder = new ProcessBuilder(binary, "-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "-U", user,
                "-d", uri.getPath().substring(1), "--slot", RECV_SLOT, "--start", "-o", "proto_version=1",
                "-o", "publication_names=" + PUBLICATION, "--endpos", Lsn.format(endpos), "--no-loop", "-f", "/dev/null")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("PGPASSWORD", password);
        long start = System.nanoTime();
        Process p = builder.start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("pg_recvlogical failed: " + Files.readString(out));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Starts the sync, times it from the moment it reads the slot until the marker row is in the target, stops it. */
    private static double apply(SyncHarness sync, long marker) {
        sync.start(true);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(5)).pollInterval(java.time.Duration.ofMillis(5))
                .until(() -> CdcTesting.stream(sync).reading());
        long start = System.nanoTime();
        awaitRow(sync, "SELECT count(*) FROM bench WHERE id = " + marker);
        double seconds = (System.nanoTime() - start) / 1e9;
        sync.stop();
        return seconds;
    }

    private static void awaitRow(SyncHarness sync, String count) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(30)).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    try {
                        return sync.target().queryForObject(count, Long.class) == 1;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
    }

    /**
     * Commits a transaction of 10 rows every 10 ms for {@code seconds}, while a reader of the target looks every 5 ms
     * for the newest row; a transaction's lag is from its commit returning to the first read that shows it.
     */
    private static long lag(JdbcTemplate pg, SyncHarness sync, long firstId, int seconds, String name, List<String> lines)
            throws Exception {
        ConcurrentLinkedQueue<long[]> committed = new ConcurrentLinkedQueue<>(); // {last id, commit time}
        AtomicLong nextId = new AtomicLong(firstId);
        ScheduledExecutorService threads = Executors.newScheduledThreadPool(1);
        java.sql.Connection session = pg.getDataSource().getConnection();
        JdbcTemplate writer = new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(session, true));
        threads.scheduleAtFixedRate(() -> {
            long from = nextId.getAndAdd(10);
            writer.update("INSERT INTO lagtab SELECT g, 'lag' FROM generate_series(?::bigint, ?::bigint) g", from, from + 9);
            committed.add(new long[] {from + 9, System.nanoTime()});
        }, 0, 10, TimeUnit.MILLISECONDS);
        List<Long> lags = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (System.nanoTime() < end || !committed.isEmpty()) {
                Long newest = sync.target().queryForObject("SELECT max(id) FROM lagtab", Long.class);
                long now = System.nanoTime();
                while (!committed.isEmpty() && newest != null && committed.peek()[0] <= newest) {
                    lags.add(now - committed.poll()[1]);
                }
                if (System.nanoTime() >= end && !threads.isShutdown()) {
                    threads.shutdown();
                    threads.awaitTermination(10, TimeUnit.SECONDS);
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } finally {
            threads.shutdownNow();
            session.close();
        }
        Collections.sort(lags);
        lines.add(String.format("| %s, %,d transactions | %.0f | %.0f | %.0f |", name, lags.size(), lags.get(lags.size() / 2) / 1e6,
                lags.get((int) (lags.size() * 0.99)) / 1e6, lags.get(lags.size() - 1) / 1e6));
        System.out.println(lines.get(lines.size() - 1));
        return nextId.get();
    }
}
