package io.pgturso.app;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness DOWN while the last edit of the route files was refused (the previous routes still run), naming file and line. */
class ReloadHealthCheck extends AbstractHealthCheck {
    private final ReloadState state;

    ReloadHealthCheck(ReloadState state) {
        super("pg-turso-sync", "route-reload");
        this.state = state;
    }

    @Override
    public boolean isLiveness() {
        // a bad edit does not call for a restart: the previous routes keep syncing
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        state.lastFailure().ifPresentOrElse(failure -> builder.down()
                .message("route files not reloaded: " + failure)
                .detail("file", failure.file())
                .detail("line", failure.line())
                .detail("failed.at", failure.at().toString()), builder::up);
    }
}
