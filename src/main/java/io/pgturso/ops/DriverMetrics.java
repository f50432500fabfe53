package io.pgturso.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgturso.libsql.hrana.RequestListener;

/** Counts the libSQL driver's requests, retries and failures by kind (an HTTP target only; see README). */
public class DriverMetrics implements RequestListener {
    private final MeterRegistry registry;

    public DriverMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void requestSent(String host) {
        requests("ok");
    }

    @Override
    public void requestFailed(String host, String kind) {
        requests("error");
        error(kind);
    }

    @Override
    public void requestRetried(String host, String kind) {
        Counter.builder("pgturso.driver.retries").description("Requests the libSQL driver sent again, by the failure's kind")
                .tag("kind", kind).register(registry).increment();
    }

    @Override
    public void statementFailed(String host, String kind) {
        error(kind);
    }

    private void requests(String outcome) {
        Counter.builder("pgturso.driver.requests").description("HTTP requests the libSQL driver sent, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    private void error(String kind) {
        Counter.builder("pgturso.driver.errors")
                .description("Failures the libSQL driver met (failed requests and statements), retried ones included, by kind")
                .tag("kind", kind).register(registry).increment();
    }
}
