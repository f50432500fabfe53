package io.pgturso.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.testing.CapturedLogs;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestPostgres;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** A SQL_ASCII database hands out bytes that are not UTF-8: the row holding them is dead-lettered, the rest lands. */
@Timeout(120)
class NonUtf8SourceTest {
    @TempDir
    Path dir;
    TestTarget target;
    SyncHarness sync;
    JdbcTemplate pg;

    @BeforeEach
    void setUp() {
        target = TestTarget.file(dir);
        sync = SyncHarness.create(dir, target);
        String url = TestPostgres.get().newDatabase("ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        sync.property("sync.source.url", url);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(TestPostgres.get().user());
        ds.setPassword(TestPostgres.get().password());
        pg = new JdbcTemplate(ds);
    }

    @AfterEach
    void tearDown() {
        sync.close();
        target.close();
    }

    @Test
    void a_value_that_is_not_utf8_dead_letters_its_row_with_the_column_named_and_the_rest_of_the_page_lands() {
        pg.execute("CREATE TABLE notes (id int PRIMARY KEY, body text, tags text[], updated_at timestamptz NOT NULL)");
        // raw bytes as a SQL_ASCII database keeps them: 0xff is never valid UTF-8; c3 a9 is UTF-8's é
        pg.update("INSERT INTO notes VALUES "
                + "(1, 'plain', ARRAY['a'], '2024-01-01'), "
                + "(2, convert_from('\\x626164ff'::bytea, 'SQL_ASCII'), NULL, '2024-01-02'), "
                + "(3, convert_from('\\x68c3a96c6c6f'::bytea, 'SQL_ASCII'), ARRAY['b'], '2024-01-03'), "
                + "(4, 'fine', ARRAY[convert_from('\\x78fe'::bytea, 'SQL_ASCII')], '2024-01-04'), "
                + "(5, 'last', NULL, '2024-01-05')");
        sync.table("notes", "table=notes", "cursor=updated_at");

        try (CapturedLogs logs = new CapturedLogs()) {
            sync.start();
            assertThat(logs.text()).as("a start-up warning names the encoding")
                    .contains("SQL_ASCII").contains("UTF8");
            assertThat(sync.runOnce("notes")).isTrue();
        }

        assertThat(sync.target().queryForList("SELECT id FROM notes ORDER BY id", Long.class)).containsExactly(1L, 3L, 5L);
        assertThat(sync.target().queryForObject("SELECT body FROM notes WHERE id = 3", String.class)).isEqualTo("héllo");
        assertThat(sync.target().queryForObject("SELECT tags FROM notes WHERE id = 1", String.class)).isEqualTo("[\"a\"]");
        List<Map<String, Object>> letters = sync.target().queryForList(
                "SELECT row_key, stage, error, row_json FROM pgturso_dead_letters ORDER BY row_key");
        assertThat(letters).extracting(l -> l.get("row_key")).containsExactly("{\"id\":\"2\"}", "{\"id\":\"4\"}");
        assertThat(letters.get(0)).containsEntry("stage", "transform");
        assertThat(letters.get(0).get("error").toString()).contains("column body").contains("UTF-8").contains("0xff");
        assertThat(letters.get(1).get("error").toString()).contains("column tags").contains("UTF-8").contains("0xfe");
        assertThat(letters.get(0).get("row_json").toString()).contains("\"id\":2").contains("bad");
        assertThat(sync.target().queryForObject("SELECT position FROM pgturso_checkpoints WHERE sync_table = 'notes'", String.class))
                .as("the checkpoint moved past the dead-lettered rows").contains("\"5\"");

        // corrected in Postgres without moving the cursor: replay reads it by key and writes it
        pg.update("UPDATE notes SET body = 'bad, now good' WHERE id = 2");
        sync.stop();
        SyncHarness.CliResult replay = sync.cli("replay");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isEqualTo(1);
        assertThat(sync.target().queryForObject("SELECT body FROM notes WHERE id = 2", String.class)).isEqualTo("bad, now good");
        assertThat(sync.target().queryForList("SELECT row_key FROM pgturso_dead_letters", String.class))
                .as("the row still holding bytes that are not UTF-8 stays").containsExactly("{\"id\":\"4\"}");
    }
}
