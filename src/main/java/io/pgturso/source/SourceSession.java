package io.pgturso.source;

/** How every session that reads Postgres is set up, so that the sync, verify and reconciliation read values alike. */
public final class SourceSession {
    /** Session settings that make Postgres' text output of dates, times and floats exact and zone-independent. */
    public static final String SETTINGS = "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; "
            + "SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3";

    private SourceSession() {
    }
}
