package io.pgturso.target;

/** A row that could not be transformed or written, as kept in {@code pgturso_dead_letters}. */
public record DeadLetter(String table, String key, String stage, String error, String row, int attempts,
        String firstFailedAt, String lastFailedAt) {
}
