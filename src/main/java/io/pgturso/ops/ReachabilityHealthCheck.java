package io.pgturso.ops;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of one database the sync needs ({@code source} or {@code target}): DOWN while it cannot be reached. */
public class ReachabilityHealthCheck extends AbstractHealthCheck {
    private final Supplier<String> problem;

    /** {@code problem} tries the database and says why it cannot be reached, or returns null when it can. */
    public ReachabilityHealthCheck(String name, Supplier<String> problem) {
        super("pgturso", name);
        this.problem = problem;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String why = problem.get();
        if (why == null) {
            builder.up();
        } else {
            builder.message(why).down();
        }
    }
}
