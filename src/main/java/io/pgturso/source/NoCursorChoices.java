package io.pgturso.source;

/** What a table without a usable cursor column can do instead, one choice a line, naming the settings to write. */
final class NoCursorChoices {
    private NoCursorChoices() {
    }

    /** The choices for the table of route {@code routeId}, each on its own indented line. */
    static String of(String routeId) {
        String p = "camel.route-template[" + routeId + "].";
        return "\n  - " + p + "mode = full: every pass reads the whole table and compares it with the target; only rows that"
                + " differ are written, and rows gone from Postgres are deleted"
                + "\n  - " + p + "mode = incrementing with " + p + "cursor = ID_COLUMN: append-only tables (rows never updated"
                + " or deleted) with a growing key; only new rows are copied"
                + "\n  - add an updated_at column with a trigger that sets it on every change (README: \"A table without"
                + " updated_at\"), then " + p + "cursor = updated_at";
    }
}
