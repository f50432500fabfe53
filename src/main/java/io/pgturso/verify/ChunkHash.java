package io.pgturso.verify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A chunk's fingerprint: its row count and a SHA-256 over its rows' normalised values in key order. Each value is
 * written with a type tag and a length, so equal hashes mean equal rows, and a value never blends into the next.
 */
public record ChunkHash(int count, String sha256) {

    /** The fingerprint of rows (all their values). */
    public static ChunkHash ofRows(List<ComparedRow> rows) {
        MessageDigest digest = newDigest();
        for (ComparedRow row : rows) {
            row.values().forEach(v -> update(digest, v));
        }
        return new ChunkHash(rows.size(), HexFormat.of().formatHex(digest.digest()));
    }

    /** The fingerprint of keys alone. */
    public static ChunkHash ofKeys(List<ComparedKey> keys) {
        MessageDigest digest = newDigest();
        for (ComparedKey key : keys) {
            key.values().forEach(v -> update(digest, v));
        }
        return new ChunkHash(keys.size(), HexFormat.of().formatHex(digest.digest()));
    }

    private static void update(MessageDigest digest, Object v) {
        if (v == null) {
            digest.update((byte) 0);
        } else if (v instanceof Long l) {
            digest.update((byte) 1);
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(l).array());
        } else if (v instanceof Double d) {
            digest.update((byte) 2);
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(Double.doubleToLongBits(d)).array());
        } else if (v instanceof String s) {
            tagged(digest, (byte) 3, s.getBytes(StandardCharsets.UTF_8));
        } else if (v instanceof Bytes b) {
            tagged(digest, (byte) 4, b.value());
        } else if (v instanceof Unmappable u) {
            tagged(digest, (byte) 5, u.reason().getBytes(StandardCharsets.UTF_8));
        } else {
            // a type neither side normally returns: kept apart from every known type
            tagged(digest, (byte) 6, (v.getClass().getName() + ":" + v).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void tagged(MessageDigest digest, byte tag, byte[] content) {
        digest.update(tag);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(content.length).array());
        digest.update(content);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
