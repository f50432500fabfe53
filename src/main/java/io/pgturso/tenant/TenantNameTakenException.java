package io.pgturso.tenant;

/** Two tenants whose database names would be the same: the second one's rows are not written (never mixed). */
public class TenantNameTakenException extends RuntimeException {
    public TenantNameTakenException(String message) {
        super(message);
    }
}
