package io.pgturso.tenant;

/** A tenant database could not be created, and retrying will not help (a refused token, plan or name): the message says what to fix. */
public class TenantCreationException extends RuntimeException {
    public TenantCreationException(String message) {
        super(message);
    }
}
