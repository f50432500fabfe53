package io.pgturso.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the routes when a file in {@code routes/} changes. Camel's own reload drops the routes made from templates;
 * this one reloads every route file and then re-creates each table's route from its template parameters. Files that
 * do not parse or build are refused before anything running is touched ({@link RouteCheck}), noted in {@link ReloadState}.
 */
class RouteReloader extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(RouteReloader.class);

    private final Path routesDir;
    private final ReloadState state;

    RouteReloader(Path routesDir, ReloadState state) {
        super(routesDir.toString(), false);
        this.routesDir = routesDir;
        this.state = state;
        setPattern("*.yaml");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null) {
            health.register(new ReloadHealthCheck(state));
        }
    }

    @Override
    protected void onRouteReload(Collection<Resource> changed, boolean removeEverything) {
        List<Resource> files = allRouteFiles();
        // tried in a throwaway context first: a file that does not parse or build leaves the running routes alone
        ReloadState.Failure failure = RouteCheck.check(getCamelContext(), files, routesDir);
        if (failure != null) {
            if (failure.sameAs(state.lastFailure().orElse(null))) {
                // one save can raise two change events: the problem is reported once
                return;
            }
            state.failed(failure);
            LOG.error("Route files not reloaded, the routes keep running as they were: {} (fix it and save again)", failure);
            return;
        }
        LOG.info("Route files changed: reloading every route in {}", routesDir);
        super.onRouteReload(files, removeEverything);
        try {
            RouteCheck.addTableRoutes(getCamelContext().getRegistry(), getCamelContext());
            state.applied();
            LOG.info("Routes reloaded: {}", getCamelContext().getRoutes().stream().map(r -> r.getRouteId()).sorted().toList());
        } catch (Exception e) {
            state.failed(RouteCheck.failure(e, routesDir));
            LOG.error("Reloading the table routes failed; fix the route files (the previous routes stay stopped until then): {}",
                    e.getMessage(), e);
        }
    }

    private List<Resource> allRouteFiles() {
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted()
                    .map(p -> PluginHelper.getResourceLoader(getCamelContext()).resolveResource("file:" + p.toAbsolutePath()))
                    .toList();
        } catch (IOException e) {
            throw new ConfigException("Cannot list route files in " + routesDir + ": " + e.getMessage(), e);
        }
    }
}
