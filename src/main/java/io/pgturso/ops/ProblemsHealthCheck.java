package io.pgturso.ops;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness DOWN while any problem is recorded in {@link SyncHealth} (e.g. a route reload that failed). */
public class ProblemsHealthCheck extends AbstractHealthCheck {
    private final SyncHealth health;

    public ProblemsHealthCheck(SyncHealth health) {
        super("pgturso", "problems");
        this.health = health;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> problems = health.problems();
        if (problems.isEmpty()) {
            builder.up();
            return;
        }
        problems.forEach(builder::detail);
        builder.message(String.join("; ", problems.values())).down();
    }
}
