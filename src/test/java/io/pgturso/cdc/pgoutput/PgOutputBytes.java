package io.pgturso.cdc.pgoutput;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes pgoutput messages byte by byte, as the protocol documentation lays them out, for decoder tests. */
final class PgOutputBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PgOutputBytes message(char kind) {
        return new PgOutputBytes().int8(kind);
    }

    PgOutputBytes int8(int value) {
        out.write(value);
        return this;
    }

    PgOutputBytes int16(int value) {
        return int8(value >>> 8).int8(value & 0xff);
    }

    PgOutputBytes int32(int value) {
        return int16(value >>> 16).int16(value & 0xffff);
    }

    PgOutputBytes int64(long value) {
        return int32((int) (value >>> 32)).int32((int) value);
    }

    PgOutputBytes string(String value) {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        return int8(0);
    }

    PgOutputBytes bytes(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    /** A tuple of {@code n}, {@code u}, or text values (any other string). */
    PgOutputBytes tuple(String... columns) {
        int16(columns.length);
        for (String column : columns) {
            if (column == null) {
                int8('n');
            } else if (column.equals("\u0000u")) {
                int8('u');
            } else {
                byte[] text = column.getBytes(StandardCharsets.UTF_8);
                int8('t').int32(text.length).bytes(text);
            }
        }
        return this;
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(out.toByteArray());
    }
}
