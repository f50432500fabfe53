package io.pgturso.cdc.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgturso.testing.LogicalPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Postgres restarted under a running stream: the consumer reconnects and resumes, nothing lost or repeated. */
@Timeout(180)
class PgCdcOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void after_a_postgres_restart_the_stream_resumes_where_it_was_confirmed() throws Exception {
        try (LogicalPostgres.Restartable server = LogicalPostgres.dedicated(dir.resolve("pg"));
                CdcRouteHarness cdc = new CdcRouteHarness(server.server(),
                        "CREATE TABLE orders (id int PRIMARY KEY, note text)")) {
            cdc.start("");
            cdc.pg.execute("INSERT INTO orders VALUES (1, 'before')");
            await().atMost(WAIT).until(() -> cdc.applied().size() == 1);

            server.stop();
            await().atMost(WAIT).until(() -> !cdc.endpoint().getProgress().connected());
            server.start();
            cdc.pg.execute("INSERT INTO orders VALUES (2, 'after')");
            await().atMost(WAIT).until(() -> cdc.applied().size() >= 2);
            await().atMost(WAIT).until(() -> cdc.endpoint().getProgress().connected());
            assertThat(cdc.appliedTransactions()).extracting(CdcRouteHarness::describe)
                    .containsExactly(List.of("insert orders 1"), List.of("insert orders 2"));
            assertThat(cdc.endpoint().getProgress().reconnects()).isPositive();
        }
    }
}
