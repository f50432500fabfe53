package io.pgturso.source;

import io.pgturso.config.ConfigException;
import java.util.Locale;

/** How a table's changed rows are found. */
public enum SyncMode {
    /** The cursor column (e.g. {@code updated_at}) grows on every insert and update. */
    TIMESTAMP,
    /** The cursor column is a growing key (e.g. {@code id}); rows are never updated. */
    INCREMENTING,
    /** Every pass copies the whole table in key order. */
    FULL,
    /**
     * Changes come from Postgres' logical replication stream, one transaction at a time; a pass runs only to copy the
     * table from the stream's snapshot (in key order, as a full pass).
     */
    CDC;

    /** Whether a pass reads the whole table in key order (no cursor) and compares it with the target. */
    public boolean readsWholeTable() {
        return this == FULL || this == CDC;
    }

    /** Parses the template parameter {@code mode}. */
    public static SyncMode parse(String value, String table) {
        if (value == null || value.isBlank()) {
            return TIMESTAMP;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Table '" + table + "': mode '" + value + "' is not one of timestamp, incrementing, full, cdc");
        }
    }
}
