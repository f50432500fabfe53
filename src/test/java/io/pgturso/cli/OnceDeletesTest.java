package io.pgturso.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code once}, the command for cron and Kubernetes jobs, applies the hard-delete reconciliation of the tables that have it. */
@Timeout(180)
class OnceDeletesTest {
    @TempDir
    Path dir;

    static Stream<Named<Function<Path, TestTarget>>> targets() {
        return Stream.of(Named.of("file", TestTarget::file), Named.of("tursodb", TestTarget::turso));
    }

    private SyncHarness ordersAndFilms(TestTarget target) {
        SyncHarness sync = SyncHarness.create(dir, target);
        JdbcTemplate pg = sync.pg();
        pg.execute("CREATE TABLE orders (id bigint PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO orders (id, name) SELECT g, 'order ' || g FROM generate_series(1, 100) g");
        pg.execute("CREATE TABLE film (film_id int PRIMARY KEY, title text)");
        pg.update("INSERT INTO film SELECT g, 'Film ' || g FROM generate_series(1, 50) g");
        sync.table("orders", "table=orders", "cursor=updated_at", "batchSize=30");
        sync.table("film", "table=film", "mode=full");
        sync.property("sync.reconcile.enabled", "true");
        return sync;
    }

    @ParameterizedTest
    @MethodSource("targets")
    void once_deletes_the_rows_gone_from_postgres_and_says_how_many(Function<Path, TestTarget> kind) {
        try (TestTarget target = kind.apply(dir); SyncHarness sync = ordersAndFilms(target)) {
            assertThat(sync.cli("once").exitCode()).isZero();
            sync.pg().update("DELETE FROM orders WHERE id IN (1, 30, 31, 60, 99, 100)");
            sync.pg().update("DELETE FROM film WHERE film_id IN (3, 4)");

            CliResult once = sync.cli("once");

            assertThat(once.exitCode()).as(once.out() + once.err()).isZero();
            assertThat(once.out()).contains("orders: 6 rows deleted as gone from Postgres").contains("film: 2 rows written");
            assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(94);
            assertThat(sync.target().queryForObject("SELECT count(*) FROM film", Long.class)).isEqualTo(48);
            assertThat(sync.cli("verify").exitCode()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void once_exits_1_when_the_reconciliation_fails(Function<Path, TestTarget> kind) {
        try (TestTarget target = kind.apply(dir); SyncHarness sync = ordersAndFilms(target)) {
            assertThat(sync.cli("once").exitCode()).isZero();
            sync.target().execute("CREATE TRIGGER refuse_deletes BEFORE DELETE ON orders BEGIN SELECT RAISE(ABORT, 'no deletes here'); END");
            sync.pg().update("DELETE FROM orders WHERE id = 5");

            CliResult once = sync.cli("once");

            assertThat(once.exitCode()).as(once.out() + once.err()).isEqualTo(1);
            assertThat(once.out()).contains("orders: delete reconciliation failed");
            assertThat(sync.target().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(100);
        }
    }
}
