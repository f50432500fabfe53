package io.pgturso.cdc.pgoutput;

/** Bytes that are not a pgoutput protocol version 1 message this decoder understands. */
public final class PgOutputException extends RuntimeException {
    public PgOutputException(String message) {
        super(message);
    }

    public PgOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
