package io.pgturso.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify against a server that caps its responses (libsql-server: 10 MB) reads smaller chunks instead of failing. */
class VerifyResponseCapTest {
    @TempDir
    Path dir;
    SyncHarness sync;

    @AfterEach
    void tearDown() {
        sync.close();
    }

    @Test
    void chunks_over_the_response_cap_are_read_in_smaller_parts() {
        sync = SyncHarness.create(dir, TestTarget.libsqlServer(dir, server -> server.maxResponseBytes(20_000)));
        sync.pg().execute("CREATE TABLE wide (id bigint PRIMARY KEY, body text, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().update("INSERT INTO wide (id, body) SELECT g, repeat('x', 200) FROM generate_series(1, 3000) g");
        sync.table("wide", "table=wide", "cursor=updated_at");
        sync.property("sync.verify.chunk-size", "10000");
        assertThat(sync.cli("once").exitCode()).isZero();

        CliResult result = sync.cli("verify");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("wide: OK 3000 rows");
    }
}
