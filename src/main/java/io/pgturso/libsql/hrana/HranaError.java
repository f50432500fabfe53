package io.pgturso.libsql.hrana;

/** An error reported by the server: a readable message and a machine code such as {@code PREPARE_ERROR}. */
public record HranaError(String message, String code) {

    @Override
    public String toString() {
        return code == null ? message : message + " [" + code + "]";
    }
}
