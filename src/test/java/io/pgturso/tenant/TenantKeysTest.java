package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The key index in its compact layout gives back exactly the keys and databases it was given, and takes over the first layout. */
@Timeout(60)
class TenantKeysTest {
    private static final String OLD_CREATE = "CREATE TABLE pgturso_tenant_keys (sync_table TEXT NOT NULL, row_key TEXT NOT NULL, "
            + "tenant_database TEXT NOT NULL, PRIMARY KEY (sync_table, row_key, tenant_database)) WITHOUT ROWID";

    @TempDir
    Path dir;

    private JdbcTemplate control;

    @BeforeEach
    void setUp() {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("control.db"));
        control = new JdbcTemplate(ds);
    }

    private static String id(String value) {
        return "{\"id\":\"" + value + "\"}";
    }

    @Test
    void keys_that_look_like_integers_but_are_not_written_so_come_back_as_they_were_given() {
        TenantKeys keys = new TenantKeys(control);
        keys.createTable();
        List<String> given = List.of(id("1"), id("0"), id("-5"), id("007"), id("-0"), id("1234567890123456789"), id(""),
                id("x"), "{\"other\":\"3\"}", "{\"id\":\"1\",\"line\":\"2\"}", "{\"id\":null}", id("9"));
        List<TenantKeys.Entry> entries = new ArrayList<>();
        given.forEach(k -> entries.add(new TenantKeys.Entry(k, "acme")));
        entries.add(new TenantKeys.Entry(id("9"), "globex"));
        keys.add("orders", entries);

        Map<String, Set<String>> found = keys.lookup("orders", given);
        assertThat(found.keySet()).containsExactlyInAnyOrderElementsOf(given);
        assertThat(found.get(id("9"))).containsExactlyInAnyOrder("acme", "globex");
        assertThat(found.get(id("007"))).containsExactly("acme");
        assertThat(keys.lookup("orders", List.of(id("7"), id("-00")))).isEmpty();
        // the integer form is kept only where it gives the same text back
        assertThat(control.queryForList("SELECT typeof(row_key) FROM pgturso_tenant_key_index GROUP BY 1 ORDER BY 1",
                String.class)).containsExactly("integer", "text");
        assertThat(control.queryForObject("SELECT count(*) FROM pgturso_tenant_key_index WHERE typeof(row_key) = 'integer'",
                Integer.class)).isEqualTo(5); // 1, 0, -5, 9 twice
        assertThat(control.queryForList("SELECT row_key FROM pgturso_tenant_keys ORDER BY row_key", String.class))
                .containsExactlyInAnyOrderElementsOf(entries.stream().map(TenantKeys.Entry::key).toList());
    }

    @Test
    void entries_are_counted_removed_and_paged_through_by_name() {
        TenantKeys keys = new TenantKeys(control);
        keys.createTable();
        List<TenantKeys.Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 25; i++) {
            entries.add(new TenantKeys.Entry(id(String.valueOf(i)), i % 2 == 0 ? "acme" : "globex"));
        }
        entries.add(new TenantKeys.Entry(id("abc"), "acme"));
        keys.add("orders", entries);
        keys.add("plans", List.of(new TenantKeys.Entry("{\"code\":\"a\"}", "acme")));

        assertThat(keys.databases("orders")).isEqualTo(2);
        assertThat(keys.count("orders", "acme")).isEqualTo(13);
        assertThat(keys.count("orders", "nobody")).isZero();
        assertThat(keys.count("nothing", "acme")).isZero();
        List<TenantKeys.Entry> paged = new ArrayList<>();
        TenantKeys.Entry after = new TenantKeys.Entry("", "");
        for (List<TenantKeys.Entry> page; !(page = keys.notCopied("orders", after, 4)).isEmpty(); after = page.get(page.size() - 1)) {
            paged.addAll(page);
        }
        assertThat(paged).containsExactlyInAnyOrderElementsOf(entries).doesNotHaveDuplicates();

        keys.remove("orders", List.of(new TenantKeys.Entry(id("2"), "acme"), new TenantKeys.Entry(id("abc"), "acme"),
                new TenantKeys.Entry(id("3"), "nobody")));
        assertThat(keys.count("orders", "acme")).isEqualTo(11);
        keys.removeDatabase("acme");
        assertThat(keys.count("orders", "acme")).isZero();
        assertThat(keys.count("plans", "acme")).isZero();
        assertThat(keys.count("orders", "globex")).isEqualTo(13);
    }

    @Test
    void entries_written_and_removed_through_the_view_are_those_the_index_finds() {
        TenantKeys keys = new TenantKeys(control);
        keys.createTable();
        keys.add("orders", List.of(new TenantKeys.Entry(id("1"), "acme")));
        control.update("INSERT INTO pgturso_tenant_keys (sync_table, row_key, tenant_database) VALUES ('orders', ?, 'globex'), "
                + "('orders', ?, 'acme'), ('plans', ?, 'acme')", id("2"), id("02"), id("3"));

        assertThat(keys.lookup("orders", List.of(id("1"), id("2"), id("02"))))
                .isEqualTo(Map.of(id("1"), Set.of("acme"), id("2"), Set.of("globex"), id("02"), Set.of("acme")));
        assertThat(keys.lookup("plans", List.of(id("3")))).isEqualTo(Map.of(id("3"), Set.of("acme")));
        assertThat(control.queryForObject("SELECT typeof(row_key) FROM " + TenantKeys.TABLE + " AS k JOIN " + KeyCodes.DATABASES
                + " AS d ON d.id = k.tenant_database WHERE d.tenant_database = 'globex'", String.class)).isEqualTo("integer");
        control.update("DELETE FROM pgturso_tenant_keys WHERE tenant_database = 'acme' AND sync_table = 'orders'");
        assertThat(keys.lookup("orders", List.of(id("1"), id("2"), id("02")))).isEqualTo(Map.of(id("2"), Set.of("globex")));
        assertThat(keys.count("plans", "acme")).isEqualTo(1);
    }

    @Test
    void a_tables_entries_are_walked_after_a_given_one_each_once() {
        TenantKeys keys = new TenantKeys(control);
        keys.createTable();
        List<TenantKeys.Entry> entries = new ArrayList<>();
        for (int i = -3; i <= 20; i++) {
            entries.add(new TenantKeys.Entry(id(String.valueOf(i)), "t" + Math.floorMod(i, 3)));
            entries.add(new TenantKeys.Entry(id(String.valueOf(i)), "t9"));
        }
        entries.add(new TenantKeys.Entry(id("0x"), "t1"));
        keys.add("orders", entries);
        keys.add("plans", List.of(new TenantKeys.Entry(id("1"), "t1")));

        List<TenantKeys.Entry> walked = new ArrayList<>();
        TenantKeys.Entry after = new TenantKeys.Entry("", "");
        for (List<TenantKeys.Entry> chunk; !(chunk = keys.after("orders", after, 5)).isEmpty(); after = chunk.get(chunk.size() - 1)) {
            assertThat(chunk).hasSizeLessThanOrEqualTo(5);
            walked.addAll(chunk);
        }
        assertThat(walked).containsExactlyInAnyOrderElementsOf(entries).doesNotHaveDuplicates();
        assertThat(walked.get(0)).isEqualTo(new TenantKeys.Entry(id("-3"), "t0"));
        assertThat(keys.after("nothing", after, 5)).isEmpty();
    }

    @Test
    void an_index_of_the_first_layout_is_moved_over_once_and_a_move_that_fails_part_way_is_repeated_whole() {
        control.execute(OLD_CREATE);
        control.execute("CREATE TABLE pgturso_tenant_copied (sync_table TEXT NOT NULL, row_key TEXT NOT NULL, "
                + "tenant_database TEXT NOT NULL, PRIMARY KEY (sync_table, row_key, tenant_database)) WITHOUT ROWID");
        for (int i = 1; i <= 30; i++) {
            control.update("INSERT INTO pgturso_tenant_keys VALUES ('orders', ?, ?)", id(String.valueOf(i)), "t" + i % 3);
        }
        control.update("INSERT INTO pgturso_tenant_keys VALUES ('orders', ?, 't1'), ('orders', ?, 't2'), ('items', ?, 't1')",
                id("2"), id("007"), "{\"sku\":\"a-1\"}");
        control.update("INSERT INTO pgturso_tenant_copied VALUES ('orders', ?, 't1')", id("1"));
        // a move that fails part way (standing for a crash): nothing of it stays, the first layout is whole
        control.execute(KeyCodes.CREATE_TABLES);
        control.execute(KeyCodes.CREATE_DATABASES);
        control.execute(KeyIndexLayout.create(TenantKeys.TABLE));
        control.execute("CREATE TRIGGER fail AFTER INSERT ON " + TenantKeys.TABLE + " WHEN new.row_key = 20 "
                + "BEGIN SELECT RAISE(ABORT, 'crash'); END");
        assertThatThrownBy(() -> new TenantKeys(control).createTable()).hasMessageContaining("crash");
        assertThat(control.queryForObject("SELECT count(*) FROM pgturso_tenant_keys", Integer.class)).isEqualTo(33);
        assertThat(control.queryForObject("SELECT type FROM sqlite_master WHERE name = 'pgturso_tenant_keys'", String.class))
                .isEqualTo("table");
        assertThat(control.queryForObject("SELECT count(*) FROM " + TenantKeys.TABLE, Integer.class)).isZero();
        control.execute("DROP TRIGGER fail");

        TenantKeys keys = new TenantKeys(control);
        keys.createTable();
        keys.createTable();
        assertThat(control.queryForObject("SELECT type FROM sqlite_master WHERE name = 'pgturso_tenant_keys'", String.class))
                .isEqualTo("view");
        assertThat(control.queryForObject("SELECT count(*) FROM " + TenantKeys.TABLE, Integer.class)).isEqualTo(33);
        assertThat(keys.lookup("orders", List.of(id("2"), id("007"), id("30")))).isEqualTo(
                Map.of(id("2"), Set.of("t2", "t1"), id("007"), Set.of("t2"), id("30"), Set.of("t0")));
        assertThat(keys.lookup("items", List.of("{\"sku\":\"a-1\"}"))).isEqualTo(Map.of("{\"sku\":\"a-1\"}", Set.of("t1")));
        assertThat(keys.count("orders", "t1")).isEqualTo(11);
        assertThat(control.queryForObject("SELECT count(*) FROM " + TenantKeys.COPIED, Integer.class)).isEqualTo(1);
        assertThat(control.queryForList("SELECT name FROM sqlite_master WHERE name = 'pgturso_tenant_copied'")).isEmpty();
    }
}
