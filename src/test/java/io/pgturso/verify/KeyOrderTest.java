package io.pgturso.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.types.ColumnKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Key order in Java must equal SQLite's BINARY order and Postgres' COLLATE "C" order: UTF-8 bytes, numbers numerically. */
class KeyOrderTest {
    @Test
    void text_is_ordered_by_its_utf8_bytes_not_by_utf16_units() {
        Random random = new Random(42);
        int[] alphabet = {'a', 'B', 'é', 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
        for (int n = 0; n < 20_000; n++) {
            String a = randomText(random, alphabet);
            String b = randomText(random, alphabet);
            int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertThat(Integer.signum(Values.compareUtf8(a, b))).as("%s vs %s", a, b).isEqualTo(expected);
        }
        assertThat("\uFFFD".compareTo("😀")).as("UTF-16 order, which neither database uses").isPositive();
        assertThat(Values.compareUtf8("\uFFFD", "😀")).isNegative();
    }

    @Test
    void composite_keys_compare_column_by_column_with_numbers_before_text_before_blobs() {
        assertThat(ComparedKey.of(2L, "a").compareTo(ComparedKey.of(10L, "a"))).isNegative();
        assertThat(ComparedKey.of(1L, "b").compareTo(ComparedKey.of(1L, "a"))).isPositive();
        assertThat(ComparedKey.of((Object) null).compareTo(ComparedKey.of(-5L))).isNegative();
        assertThat(ComparedKey.of(99L).compareTo(ComparedKey.of("1"))).isNegative();
        assertThat(ComparedKey.of("z").compareTo(ComparedKey.of(new Bytes(new byte[] {0})))).isNegative();
        assertThat(ComparedKey.of(new Bytes(new byte[] {(byte) 0x80})).compareTo(ComparedKey.of(new Bytes(new byte[] {0x7f})))).isPositive();
        assertThat(ComparedKey.of(1.5).compareTo(ComparedKey.of(2L))).isNegative();
    }

    @Test
    void keys_print_as_values_and_composites_in_parentheses() {
        assertThat(ComparedKey.of(42L)).hasToString("42");
        assertThat(ComparedKey.of(7L, "a \"b\"")).hasToString("(7, \"a \\\"b\\\"\")");
        assertThat(new KeyRange(ComparedKey.of(1L), ComparedKey.of(10L))).hasToString("1..10");
    }

    @Test
    void equal_values_read_as_different_java_types_hash_equal() {
        var fromPostgres = new ComparedRow(ComparedKey.of(1L), Arrays.asList(Values.normalise(ColumnKind.INTEGER, 1L),
                Values.normalise(ColumnKind.REAL, -0.0), Values.normalise(ColumnKind.BLOB, new byte[] {1, 2})));
        var fromTarget = new ComparedRow(ComparedKey.of(1L), Arrays.asList(Values.normalise(ColumnKind.INTEGER, 1),
                Values.normalise(ColumnKind.REAL, 0.0), Values.normalise(ColumnKind.BLOB, new byte[] {1, 2})));
        var changed = new ComparedRow(ComparedKey.of(1L), Arrays.asList(1L, 0.0, new Bytes(new byte[] {1, 3})));

        assertThat(ChunkHash.ofRows(List.of(fromPostgres))).isEqualTo(ChunkHash.ofRows(List.of(fromTarget)));
        assertThat(fromPostgres).isEqualTo(fromTarget);
        assertThat(ChunkHash.ofRows(List.of(fromPostgres))).isNotEqualTo(ChunkHash.ofRows(List.of(changed)));
        assertThat(ChunkHash.ofKeys(List.of(ComparedKey.of("ab"), ComparedKey.of("c"))))
                .as("values never blend into each other").isNotEqualTo(ChunkHash.ofKeys(List.of(ComparedKey.of("a"), ComparedKey.of("bc"))));
    }

    private static String randomText(Random random, int[] alphabet) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(4);
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        return s.toString();
    }
}
