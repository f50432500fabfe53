package io.pgturso.failure;

/** A pass refused because another process holds the table's lock; the pass is skipped, nothing is written. */
public class TableBusyException extends RuntimeException {
    public TableBusyException(String message) {
        super(message);
    }
}
