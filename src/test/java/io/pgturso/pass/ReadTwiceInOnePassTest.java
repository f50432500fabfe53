package io.pgturso.pass;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.ChangeDuringPass;
import io.pgturso.testing.LibsqlTestServer;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A row read twice in one pass (an integer cursor has no horizon, so a row changed while the pass runs is read again in
 * a later page): its later version wins, even when the later page is written before the earlier one.
 */
@Timeout(120)
class ReadTwiceInOnePassTest {
    /** Page 1's upsert: the only request carrying row 1's text. */
    private static final Predicate<String> PAGE_ONE = body -> body.contains("INSERT INTO \\\"posts\\\"") && body.contains("row one");

    @TempDir
    Path dir;

    @AfterEach
    void noHook() {
        ChangeDuringPass.reset();
    }

    @Test
    void a_soft_deleted_row_is_never_resurrected_by_an_earlier_page_on_a_file_target() throws IOException {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            postsCopiedOnce(sync);
            changeRowOneWhileItsPageIsRead(sync, "deleted = true");

            assertThat(sync.runOnce("posts")).isTrue();

            assertThat(ids(sync)).doesNotContain(1L).hasSize(9);
            assertThat(sync.compare("posts").isEqual()).isTrue();
        }
    }

    @Test
    void a_soft_deleted_row_is_never_resurrected_by_an_earlier_page_written_after_it() throws IOException {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, httpTarget(server))) {
            postsCopiedOnce(sync);
            changeRowOneWhileItsPageIsRead(sync, "deleted = true");
            // page 1 (row 1 as it was) is held back until the delete of row 1, read in page 3, has landed (at most 3 s)
            LibsqlTestServer.Hold hold = server.get().hold(PAGE_ONE, body -> body.contains("DELETE FROM \\\"posts\\\""),
                    Duration.ofSeconds(3));

            assertThat(sync.runOnce("posts")).isTrue();

            assertThat(hold.tookHold()).as("page 1 was held back").isTrue();
            assertThat(ids(sync)).as("the deleted row stays deleted").doesNotContain(1L).hasSize(9);
            assertThat(sync.compare("posts").isEqual()).isTrue();
        }
    }

    @Test
    void a_page_deleting_rows_no_earlier_page_writes_is_written_without_waiting_for_them() throws IOException {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, httpTarget(server))) {
            postsCopiedOnce(sync);
            // page 1: rows 1 to 5 changed; page 2: row 9 deleted
            sync.pg().update("UPDATE posts SET version = version + 10 WHERE id <= 5");
            sync.pg().update("UPDATE posts SET deleted = true, version = 100 WHERE id = 9");
            LibsqlTestServer.Hold hold = server.get().hold(PAGE_ONE, body -> body.contains("DELETE FROM \\\"posts\\\""),
                    Duration.ofSeconds(10));

            assertThat(sync.runOnce("posts")).isTrue();

            assertThat(hold.releasedByRequest()).as("page 2's delete landed while page 1 was still being written").isTrue();
            assertThat(ids(sync)).doesNotContain(9L).hasSize(9);
        }
    }

    @Test
    void a_row_that_stops_matching_where_is_never_brought_back_by_an_earlier_page_written_after_it() throws IOException {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, httpTarget(server))) {
            postsCopiedOnce(sync);
            changeRowOneWhileItsPageIsRead(sync, "tenant = 2");
            LibsqlTestServer.Hold hold = server.get().hold(PAGE_ONE, body -> body.contains("DELETE FROM \\\"posts\\\""),
                    Duration.ofSeconds(3));

            assertThat(sync.runOnce("posts")).isTrue();

            assertThat(hold.tookHold()).as("page 1 was held back").isTrue();
            assertThat(ids(sync)).as("the row no longer matching stays out").doesNotContain(1L).hasSize(9);
            assertThat(sync.compare("posts").isEqual()).isTrue();
        }
    }

    @Test
    void a_dead_letter_of_a_newer_version_stays_open_when_an_earlier_page_with_the_row_is_written_after_it() throws IOException {
        AtomicReference<LibsqlTestServer> server = new AtomicReference<>();
        try (SyncHarness sync = SyncHarness.create(dir, httpTarget(server))) {
            postsCopiedOnce(sync);
            // an older dead letter, so that the pass closes the dead letters of the rows it writes
            sync.target().update("INSERT INTO pgturso_dead_letters (sync_table, row_key, stage, error, row_json, attempts, "
                    + "first_failed_at, last_failed_at) VALUES ('posts', '{\"id\":\"7\"}', 'write', 'refused before', "
                    + "NULL, 1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')");
            JdbcTemplate pg = sync.pg();
            pg.update("UPDATE posts SET version = version + 10");
            AtomicBoolean changed = new AtomicBoolean();
            ChangeDuringPass.onRow(row -> {
                if (id(row) == 1 && version(row) == 100) {
                    throw new IllegalStateException("the hook refuses version 100");
                }
                if (id(row) == 1 && changed.compareAndSet(false, true)) {
                    pg.update("UPDATE posts SET version = 100 WHERE id = 1");
                }
            });
            // page 1 (row 1's older version, written fine) lands after the dead letter of row 1's version 100
            LibsqlTestServer.Hold hold = server.get().hold(PAGE_ONE, body -> body.contains("INSERT INTO pgturso_dead_letters"),
                    Duration.ofSeconds(3));

            assertThat(sync.runOnce("posts")).isTrue();

            assertThat(hold.releasedByRequest()).as("page 1 was written after the dead letter of row 1").isTrue();
            assertThat(sync.target().queryForList("SELECT row_key FROM pgturso_dead_letters WHERE sync_table = 'posts'", String.class))
                    .as("row 1's version 100 stays dead-lettered; row 7's dead letter closed as row 7 was written")
                    .containsExactly("{\"id\":\"1\"}");
        }
    }

    @Test
    void a_row_that_stops_matching_where_during_the_first_pass_leaves_the_target() throws IOException {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE posts (id bigint PRIMARY KEY, version bigint NOT NULL, title text NOT NULL, "
                    + "deleted boolean NOT NULL DEFAULT false, tenant int NOT NULL DEFAULT 1)");
            pg.update("INSERT INTO posts (id, version, title) SELECT g, g, 'row ' || g FROM generate_series(1, 15) g");
            Files.writeString(sync.dir().resolve("routes/change-during-pass.camel.yaml"), ChangeDuringPass.ROUTE);
            sync.table("posts", "table=posts", "cursor=version", "where=tenant = 1", "batchSize=5",
                    "transform=direct:change-during-pass");
            AtomicBoolean changed = new AtomicBoolean();
            // the first pass reads only matching rows: row 1, written in page 1, stops matching while that page is read,
            // and row 12 changes after it (still matching), so the first pass reads past row 1's new version
            ChangeDuringPass.onRow(row -> {
                if (id(row) == 1 && changed.compareAndSet(false, true)) {
                    pg.update("UPDATE posts SET tenant = 2, version = 2000 WHERE id = 1");
                    pg.update("UPDATE posts SET version = 2001 WHERE id = 12");
                }
            });
            sync.start();

            assertThat(sync.runOnce("posts")).isTrue();
            assertThat(sync.runOnce("posts")).isTrue();

            assertThat(ids(sync)).as("the row no longer matching leaves the target").doesNotContain(1L).hasSize(14);
            assertThat(sync.compare("posts").isEqual()).isTrue();
        }
    }

    @Test
    void a_dead_letter_recorded_earlier_in_the_pass_closes_when_a_later_page_writes_the_row() throws IOException {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            postsCopiedOnce(sync);
            JdbcTemplate pg = sync.pg();
            pg.update("UPDATE posts SET version = version + 10");
            // row 1's version 11 is refused by the hook, which meanwhile changes it to version 100, read in page 3
            ChangeDuringPass.onRow(row -> {
                if (id(row) == 1 && version(row) == 11) {
                    pg.update("UPDATE posts SET version = 100 WHERE id = 1");
                    throw new IllegalStateException("the hook refuses version 11");
                }
            });

            assertThat(sync.runOnce("posts")).isTrue();

            assertThat(sync.target().queryForObject("SELECT version FROM posts WHERE id = 1", Long.class)).isEqualTo(100);
            assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class))
                    .as("the dead letter of version 11 closed once version 100 was written").isZero();
        }
    }

    @Test
    void a_row_deleted_with_its_cursor_set_to_null_leaves_the_target() {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            JdbcTemplate pg = sync.pg();
            pg.execute("CREATE TABLE notes (id bigint PRIMARY KEY, version bigint, deleted boolean NOT NULL DEFAULT false)");
            pg.update("INSERT INTO notes (id, version) SELECT g, g FROM generate_series(1, 10) g");
            sync.table("notes", "table=notes", "cursor=version", "softDelete=deleted");
            sync.start();
            assertThat(sync.runOnce("notes")).isTrue();
            // read again by the sweep of NULL cursors, as a row to delete whose version is unknown
            pg.update("UPDATE notes SET deleted = true, version = NULL WHERE id = 3");

            assertThat(sync.runOnce("notes")).isTrue();

            assertThat(sync.target().queryForList("SELECT id FROM notes ORDER BY id", Long.class)).doesNotContain(3L).hasSize(9);
        }
    }

    private TestTarget httpTarget(AtomicReference<LibsqlTestServer> server) {
        return TestTarget.libsqlServer(dir, s -> {
            server.set(s);
            return s;
        });
    }

    /** Rows 1 to 10 (version = id) copied by a first pass, through the test hook, in pages of 5 rows. */
    private static void postsCopiedOnce(SyncHarness sync) throws IOException {
        JdbcTemplate pg = sync.pg();
        pg.execute("CREATE TABLE posts (id bigint PRIMARY KEY, version bigint NOT NULL, title text NOT NULL, "
                + "deleted boolean NOT NULL DEFAULT false, tenant int NOT NULL DEFAULT 1)");
        pg.update("INSERT INTO posts (id, version, title) SELECT g, g, CASE g WHEN 1 THEN 'row one' ELSE 'row ' || g END "
                + "FROM generate_series(1, 10) g");
        Files.writeString(sync.dir().resolve("routes/change-during-pass.camel.yaml"), ChangeDuringPass.ROUTE);
        sync.table("posts", "table=posts", "cursor=version", "softDelete=deleted", "where=tenant = 1", "batchSize=5",
                "transform=direct:change-during-pass");
        sync.property("sync.target.max-in-flight", "4");
        sync.start();
        assertThat(sync.runOnce("posts")).isTrue();
        assertThat(ids(sync)).hasSize(10);
    }

    /**
     * Every row changes, so the next pass reads them all in pages 1 and 2; while page 1 passes the hook, row 1 changes
     * again ({@code change}, version 100), so page 3 of the same pass reads it again, as a row to delete.
     */
    private static void changeRowOneWhileItsPageIsRead(SyncHarness sync, String change) {
        JdbcTemplate pg = sync.pg();
        pg.update("UPDATE posts SET version = version + 10");
        AtomicBoolean changed = new AtomicBoolean();
        ChangeDuringPass.onRow(row -> {
            if (id(row) == 1 && changed.compareAndSet(false, true)) {
                pg.update("UPDATE posts SET " + change + ", version = 100 WHERE id = 1");
            }
        });
    }

    private static long id(Map<String, Object> row) {
        return ((Number) row.get("id")).longValue();
    }

    private static long version(Map<String, Object> row) {
        return ((Number) row.get("version")).longValue();
    }

    private static List<Long> ids(SyncHarness sync) {
        return sync.target().queryForList("SELECT id FROM posts ORDER BY id", Long.class);
    }
}
