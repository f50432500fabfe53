package io.pgturso.verify;

/** A Postgres value the sync cannot store (e.g. a float8 NaN): it never equals any target value. */
public record Unmappable(String reason) {
    @Override
    public String toString() {
        return "<cannot be stored: " + reason + ">";
    }
}
