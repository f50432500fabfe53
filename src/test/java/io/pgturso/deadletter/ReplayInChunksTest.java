package io.pgturso.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replay reads the dead letters a chunk at a time: however many there are, neither memory nor one response holds them all. */
@Timeout(120)
class ReplayInChunksTest {
    @TempDir
    Path dir;

    @Test
    void more_dead_letters_than_one_response_may_hold_are_all_replayed() {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.libsqlServer(dir, s -> {
            server.set(s);
            return s;
        }))) {
            sync.pg().execute("CREATE TABLE orders (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO orders (id, name) SELECT g, 'order ' || g FROM generate_series(1, 300) g");
            sync.table("orders", "table=orders", "cursor=updated_at");
            sync.start();
            assertThat(sync.runOnce("orders")).isTrue();
            sync.stop();
            // 300 dead letters of 2 KB each: 600 KB, twice what the server answers to one statement
            String row = "{\"note\":\"" + "x".repeat(2000) + "\"}";
            List<Object[]> letters = new ArrayList<>();
            for (int id = 1; id <= 300; id++) {
                letters.add(new Object[] {"{\"id\":\"" + id + "\"}", row});
            }
            sync.target().batchUpdate("INSERT INTO pgturso_dead_letters (sync_table, row_key, stage, error, row_json, attempts, "
                    + "first_failed_at, last_failed_at) VALUES ('orders', ?, 'write', 'refused', ?, 1, "
                    + "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')", letters);
            server.get().maxResponseBytes(300_000);

            SyncHarness.CliResult result = sync.cli("replay");

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out()).contains("Replay: 300 rows written, 0 failed again");
            assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
            assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(300);
        }
    }
}
