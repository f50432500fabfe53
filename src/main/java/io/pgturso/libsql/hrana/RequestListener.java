package io.pgturso.libsql.hrana;

/** Hears of the driver's HTTP requests, retries and failures (for metrics); every method is optional and must be quick. */
public interface RequestListener {

    /** Hears nothing. */
    RequestListener NONE = new RequestListener() {
    };

    /** One HTTP request to {@code host} was answered with a readable 2xx response. */
    default void requestSent(String host) {
    }

    /** One HTTP request to {@code host} got no usable answer ({@link FailureKind}); it may still be retried. */
    default void requestFailed(String host, String kind) {
    }

    /** A request is sent again after a failure of this {@link FailureKind}. */
    default void requestRetried(String host, String kind) {
    }

    /** The server answered, but reported a statement failure of this {@link FailureKind}. */
    default void statementFailed(String host, String kind) {
    }
}
