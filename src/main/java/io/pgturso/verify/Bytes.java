package io.pgturso.verify;

import java.util.Arrays;
import java.util.HexFormat;

/** A BLOB value compared by content, ordered byte by byte as unsigned values (like SQLite's memcmp and Postgres' bytea). */
public record Bytes(byte[] value) implements Comparable<Bytes> {
    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "x'" + HexFormat.of().formatHex(value) + "'";
    }
}
