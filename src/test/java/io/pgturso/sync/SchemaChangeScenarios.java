package io.pgturso.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.source.TableSpec;
import io.pgturso.target.TargetSchema;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.SyncHarness.CliResult;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** Schema and configuration changes on a table already synced, end to end through the command line, for every target. */
@Timeout(120)
abstract class SchemaChangeScenarios {
    @TempDir
    Path dir;
    TestTarget target;
    SyncHarness sync;
    JdbcTemplate pg;

    abstract TestTarget newTarget(Path dir);

    @BeforeEach
    void setUp() {
        target = newTarget(dir);
        sync = SyncHarness.create(dir, target);
        pg = sync.pg();
        pg.execute("CREATE TABLE actor (id int PRIMARY KEY, name text, score int, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO actor (id, name, score, updated_at) SELECT g, 'actor ' || g, g, '2024-01-01'::timestamptz + g * interval '1 second' FROM generate_series(1, 30) g");
        sync.table("actor", "table=actor", "cursor=updated_at", "batchSize=7");
    }

    @AfterEach
    void tearDown() {
        sync.close();
        target.close();
    }

    /** One pass of every table in the running application (started on first use), as {@code once} runs it. */
    private boolean pass() {
        if (sync.app() == null) {
            sync.start();
        }
        return sync.app().runAllOnce().isEmpty();
    }

    private CliResult verify() {
        return sync.cli("verify", "--table", "actor");
    }

    @Test
    void a_column_added_with_a_default_is_backfilled_for_every_existing_row() {
        assertThat(pass()).isTrue();
        pg.execute("ALTER TABLE actor ADD COLUMN nick_names text[] DEFAULT '{}'");

        assertThat(sync.cli("status").out()).contains("nick_names is new in Postgres");
        assertThat(pass()).isTrue();

        assertThat(sync.target().queryForObject("SELECT count(*) FROM actor WHERE nick_names = '[]'", Long.class)).isEqualTo(30);
        CliResult verify = verify();
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    @Test
    void int_to_bigint_keeps_the_target_column_and_a_new_scale_is_copied_to_every_row() {
        // pages of 3: Postgres' driver has the page query prepared on the server (from its fifth run) when the column
        // type changes under it, and the same query text must still work ("cached plan must not change result type")
        sync.table("actor", "table=actor", "cursor=updated_at", "batchSize=3");
        pg.execute("ALTER TABLE actor ADD COLUMN price numeric(10, 2) DEFAULT 12.5");
        assertThat(pass()).isTrue();
        pg.execute("ALTER TABLE actor ALTER COLUMN score TYPE bigint");
        pg.execute("ALTER TABLE actor ALTER COLUMN price TYPE numeric(10, 4)");
        pg.update("UPDATE actor SET score = 9000000000, updated_at = now() WHERE id = 1");

        assertThat(pass()).isTrue();

        assertThat(sync.target().queryForObject("SELECT score FROM actor WHERE id = 1", Long.class)).isEqualTo(9_000_000_000L);
        assertThat(sync.target().queryForObject("SELECT count(*) FROM actor WHERE price = '12.5000'", Long.class)).isEqualTo(30);
        assertThat(verify().exitCode()).isZero();
    }

    @Test
    void a_retyped_column_stops_the_passes_until_resync_rebuilds_the_table() {
        assertThat(pass()).isTrue();
        pg.execute("ALTER TABLE actor ALTER COLUMN name TYPE int USING length(name)");
        pg.update("UPDATE actor SET updated_at = now() WHERE id = 1");

        assertThat(pass()).isFalse();
        assertThat(sync.target().queryForObject("SELECT name FROM actor WHERE id = 1", String.class))
                .as("no value of the new type was written into the TEXT column").isEqualTo("actor 1");
        CliResult status = sync.cli("status");
        assertThat(status.out()).contains("column name is TEXT in the target", "resync --table actor");
        assertThat(verify().out()).contains("resync --table actor");

        CliResult resync = sync.cli("resync", "--table", "actor");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(resync.out()).contains("rebuilt");
        assertThat(sync.target().queryForObject("SELECT typeof(name) || ':' || name FROM actor WHERE id = 12", String.class))
                .isEqualTo("integer:8");
        assertThat(verify().exitCode()).isZero();
        assertThat(pass()).isTrue();
    }

    @Test
    void a_rebuild_copies_in_short_statements_and_keeps_every_row_until_one_swap() {
        assertThat(pass()).isTrue();
        pg.execute("ALTER TABLE actor ALTER COLUMN name TYPE int USING length(name)");
        TableSpec spec = sync.spec("actor");
        TargetSchema schema = new TargetSchema(sync.target(), 7);
        assertThat(schema.needsRebuild(spec)).isTrue();

        long statements = schema.rebuild(spec);

        assertThat(statements).as("30 rows, 7 per copy statement, each its own transaction").isEqualTo(5);
        assertThat(sync.target().queryForObject("SELECT count(*) FROM actor", Long.class)).isEqualTo(30);
        assertThat(sync.target().queryForObject("SELECT count(*) FROM sqlite_master WHERE name LIKE 'actor%'", Long.class))
                .as("the copy took the old table's place").isEqualTo(1);
        assertThat(schema.needsRebuild(spec)).isFalse();
    }

    @Test
    void a_dropped_column_is_reported_and_left_as_it_is() {
        assertThat(pass()).isTrue();
        pg.execute("ALTER TABLE actor DROP COLUMN score");
        pg.update("INSERT INTO actor (id, name) VALUES (31, 'new')");

        assertThat(pass()).isTrue();

        assertThat(sync.target().queryForObject("SELECT score FROM actor WHERE id = 2", Long.class)).isEqualTo(2);
        assertThat(sync.target().queryForObject("SELECT score FROM actor WHERE id = 31", Long.class)).isNull();
        assertThat(sync.cli("status").out()).contains("target column score is no longer copied");
        assertThat(verify().exitCode()).isZero();
    }

    @Test
    void a_renamed_column_is_added_and_backfilled_under_its_new_name() {
        assertThat(pass()).isTrue();
        pg.execute("ALTER TABLE actor RENAME COLUMN score TO rating");

        assertThat(pass()).isTrue();

        assertThat(sync.target().queryForObject("SELECT count(*) FROM actor WHERE rating = id", Long.class)).isEqualTo(30);
        assertThat(sync.cli("status").out()).contains("target column score is no longer copied");
        assertThat(verify().exitCode()).isZero();
    }

    @Test
    void a_dropped_or_renamed_table_is_named_with_what_to_do() {
        assertThat(pass()).isTrue();
        pg.execute("ALTER TABLE actor RENAME TO performer");

        CliResult run = sync.cli("once");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("'actor' does not exist in Postgres", "if it was renamed");
        assertThat(sync.target().queryForObject("SELECT count(*) FROM actor", Long.class)).isEqualTo(30);
    }

    @Test
    void a_changed_cursor_mode_or_key_starts_over_instead_of_failing() {
        assertThat(pass()).isTrue();
        pg.update("UPDATE actor SET name = 'changed without cursor' WHERE id = 3");
        sync.table("actor", "table=actor", "mode=incrementing", "cursor=id", "batchSize=7");
        sync.stop();

        CliResult status = sync.cli("status");
        assertThat(status.out()).contains("the checkpoint was made for").doesNotContain("Exception");
        CliResult run = sync.cli("once");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(sync.target().queryForObject("SELECT name FROM actor WHERE id = 3", String.class)).isEqualTo("changed without cursor");
        assertThat(sync.target().queryForObject("SELECT made_for FROM pgturso_checkpoints WHERE sync_table = 'actor'", String.class))
                .contains("mode=incrementing", "cursor=id");
    }

    @Test
    void a_changed_primary_key_stops_the_passes_until_resync_rebuilds_the_table() {
        assertThat(pass()).isTrue();
        pg.execute("ALTER TABLE actor DROP CONSTRAINT actor_pkey");
        pg.execute("ALTER TABLE actor ADD PRIMARY KEY (name)");

        assertThat(pass()).isFalse();
        assertThat(sync.cli("status").out()).contains("primary key is [id] in the target but [name] in Postgres", "resync --table actor");

        CliResult resync = sync.cli("resync", "--table", "actor");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(sync.target().queryForObject("SELECT group_concat(name) FROM pragma_table_info('actor') WHERE pk > 0", String.class))
                .isEqualTo("name");
        assertThat(verify().exitCode()).isZero();
    }

    @Test
    void reset_checkpoint_makes_the_next_pass_copy_every_row_again() {
        assertThat(pass()).isTrue();
        pg.update("UPDATE actor SET name = 'no cursor bump' WHERE id = 5");

        CliResult reset = sync.cli("reset-checkpoint", "--table", "actor");
        assertThat(reset.exitCode()).isZero();
        assertThat(reset.out()).contains("checkpoint reset");
        assertThat(pass()).isTrue();

        assertThat(sync.target().queryForObject("SELECT name FROM actor WHERE id = 5", String.class)).isEqualTo("no cursor bump");
        assertThat(sync.cli("reset-checkpoint").exitCode()).as("the table must be named").isEqualTo(2);
    }

    @Test
    void resync_copies_again_in_place_and_deletes_rows_gone_from_postgres() {
        assertThat(pass()).isTrue();
        long rowid = sync.target().queryForObject("SELECT rowid FROM actor WHERE id = 10", Long.class);
        pg.update("UPDATE actor SET name = 'changed behind the cursor' WHERE id = 10");
        pg.update("DELETE FROM actor WHERE id IN (20, 21)");

        CliResult resync = sync.cli("resync", "--table", "actor");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(resync.out()).contains("2 rows no longer in Postgres deleted");
        assertThat(sync.target().queryForMap("SELECT rowid, name FROM actor WHERE id = 10"))
                .as("updated in place, never deleted and inserted again").containsEntry("name", "changed behind the cursor");
        assertThat(sync.target().queryForObject("SELECT rowid FROM actor WHERE id = 10", Long.class)).isEqualTo(rowid);
        assertThat(sync.target().queryForObject("SELECT count(*) FROM actor", Long.class)).isEqualTo(28);
        assertThat(verify().exitCode()).isZero();
    }

    @Test
    void a_key_change_in_postgres_leaves_the_old_row_until_reconciliation() {
        assertThat(pass()).isTrue();
        pg.update("UPDATE actor SET id = 100, updated_at = now() WHERE id = 1");

        assertThat(pass()).isTrue();
        assertThat(sync.target().queryForList("SELECT id FROM actor WHERE id IN (1, 100) ORDER BY id", Long.class))
                .containsExactly(1L, 100L);

        assertThat(sync.cli("resync", "--table", "actor").exitCode()).isZero();
        assertThat(sync.target().queryForList("SELECT id FROM actor WHERE id IN (1, 100) ORDER BY id", Long.class))
                .containsExactly(100L);
    }

    @Test
    void verify_and_reconciliation_find_mixed_case_tables() {
        pg.execute("CREATE TABLE \"Mixed Case Table\" (id int PRIMARY KEY, v text, updated_at timestamptz NOT NULL DEFAULT now())");
        pg.update("INSERT INTO \"Mixed Case Table\" (id, v) VALUES (1, 'a'), (2, 'b')");
        sync.table("mixed", "table=Mixed Case Table", "cursor=updated_at");
        assertThat(sync.cli("once").exitCode()).isZero();
        pg.update("DELETE FROM \"Mixed Case Table\" WHERE id = 2");

        CliResult resync = sync.cli("resync", "--table", "mixed");

        assertThat(resync.exitCode()).as(resync.out() + resync.err()).isZero();
        assertThat(resync.out()).contains("1 rows no longer in Postgres deleted");
        CliResult verify = sync.cli("verify", "--table", "mixed");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        List<Map<String, Object>> rows = sync.target().queryForList("SELECT id FROM \"Mixed Case Table\"");
        assertThat(rows).hasSize(1);
    }
}
