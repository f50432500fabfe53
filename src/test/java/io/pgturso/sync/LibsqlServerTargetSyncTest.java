package io.pgturso.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sync scenarios against the spec-faithful libSQL test server (libsql-server's streams, limits and codes). */
class LibsqlServerTargetSyncTest extends SyncScenarios {
    private static final long MIB = 1024 * 1024;

    @Override
    TestTarget newTarget(Path dir) {
        return TestTarget.libsqlServer(dir);
    }

    @Test
    void pages_are_written_several_at_once_over_a_slow_link_and_the_checkpoint_ends_at_the_last_row(@TempDir Path dir) {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.libsqlServer(dir, s -> {
            server.set(s);
            return s;
        }))) {
            sync.pg().execute("CREATE TABLE slow (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO slow (id, name) SELECT g, 'row ' || g FROM generate_series(1, 2000) g");
            sync.table("slow", "table=slow", "cursor=updated_at", "batchSize=100");
            sync.property("sync.target.max-in-flight", "4");
            sync.start();
            server.get().latency(Duration.ofMillis(40));

            assertThat(sync.runOnce("slow")).isTrue();

            assertThat(server.get().maxConcurrentPipelines()).as("pages written at once").isGreaterThanOrEqualTo(2);
            assertThat(sync.target().queryForObject("SELECT count(*) FROM slow", Long.class)).isEqualTo(2000L);
            // every row has the same cursor value: the checkpoint ends at the last key, and counts every row once
            assertThat(sync.target().queryForObject("SELECT position FROM pgturso_checkpoints WHERE sync_table = 'slow'",
                    String.class)).endsWith("\"2000\"]");
            assertThat(sync.target().queryForObject("SELECT rows_written FROM pgturso_checkpoints WHERE sync_table = 'slow'",
                    Long.class)).isEqualTo(2000L);
        }
    }

    @Test
    @Timeout(600)
    void a_server_refusing_bodies_over_1_MiB_gets_requests_as_large_as_fit_not_one_per_row(@TempDir Path dir) {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.libsqlServer(dir, s -> {
            server.set(s);
            return s.maxRequestBytes(MIB); // as libSQL's Python test server (aiohttp) and nginx's default
        }))) {
            sync.pg().execute("CREATE TABLE wide (id bigint PRIMARY KEY, payload text, updated_at timestamptz NOT NULL)");
            sync.pg().update("INSERT INTO wide SELECT g, repeat(md5(g::text), 44), '2024-01-01'::timestamptz "
                    + "+ g * interval '1 second' FROM generate_series(1, 12000) g");
            sync.table("wide", "table=wide", "cursor=updated_at", "batchSize=5000");
            sync.start();
            long payload = sync.pg().queryForObject("SELECT sum(octet_length(payload)) FROM wide", Long.class);
            long before = server.get().requests();
            long started = System.nanoTime();

            assertThat(sync.runOnce("wide")).isTrue();

            long requests = server.get().requests() - before;
            long refused = server.get().refusedAsTooLarge();
            String measured = requests + " HTTP requests (" + refused + " answered 413) in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms";
            long bodiesOfOneMib = (payload + MIB - 1) / MIB;
            // bodies a little under 1 MiB, one part-filled request per page, the pass's own reads and checkpoint
            assertThat(requests - refused).as(measured).isLessThanOrEqualTo(bodiesOfOneMib * 5 / 4 + 3 + 10);
            assertThat(refused).as("413s: bodies tried while the size settles, " + measured).isLessThanOrEqualTo(10);
            assertThat(sync.target().queryForObject("SELECT count(*) FROM wide", Long.class)).isEqualTo(12000L);
            assertThat(sync.compare("wide").isEqual()).as("every row and value as in Postgres").isTrue();
        }
    }

    @Test
    void a_server_restarted_in_the_middle_of_a_backfill_is_ridden_out_within_the_retry_budget(@TempDir Path dir)
            throws Exception {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.libsqlServer(dir, s -> {
            server.set(s);
            return s.latency(Duration.ofMillis(10));
        }))) {
            sync.pg().execute("CREATE TABLE moving (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL)");
            sync.pg().update("INSERT INTO moving SELECT g, 'row ' || g, '2024-01-01'::timestamptz + g * interval '1 second' "
                    + "FROM generate_series(1, 20000) g");
            sync.table("moving", "table=moving", "cursor=updated_at", "batchSize=250");
            sync.property("sync.retry.max-attempts", "5").property("sync.retry.initial-delay-ms", "500")
                    .property("sync.retry.max-delay-ms", "2000");
            sync.start();
            CompletableFuture<Boolean> pass = CompletableFuture.supplyAsync(() -> sync.runOnce("moving"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> written(sync) > 0);
            LibsqlTestServer first = server.get();
            first.close();
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            server.set(LibsqlTestServer.start(first.databaseFile(), first.port()));
            try {
                assertThat(pass.get(90, TimeUnit.SECONDS)).as("the pass rode the restart out").isTrue();
                assertThat(sync.target().queryForObject("SELECT count(*) FROM moving", Long.class)).isEqualTo(20000L);
            } finally {
                server.get().close();
            }
        }
    }

    private static long written(SyncHarness sync) {
        try {
            Long n = sync.target().queryForObject("SELECT COALESCE(sum(rows_written), 0) FROM pgturso_checkpoints", Long.class);
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
