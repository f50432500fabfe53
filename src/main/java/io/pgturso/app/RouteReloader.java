package io.pgturso.app;

import io.pgturso.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the routes when a file in {@code routes/} changes. Camel's own reload drops the routes made from templates;
 * this one reloads every route file and then re-creates each table's route from its template parameters. Files that
 * do not parse or build are refused before anything running is touched ({@link RouteCheck}), noted in {@link ReloadState}.
 */
class RouteReloader extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(RouteReloader.class);

    /** How long an empty route file is given to be written before it is checked as it is. */
    private static final long EMPTY_FILE_WAIT_NANOS = 2_000_000_000L;

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
        if (getCamelContext().isStopping() || getCamelContext().isStopped()) {
            return;
        }
        awaitWritten();
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
        Scheduler quartz = pauseSchedules();
        try {
            super.onRouteReload(files, removeEverything);
            RouteCheck.addTableRoutes(getCamelContext().getRegistry(), getCamelContext());
            state.applied();
            LOG.info("Routes reloaded: {}", getCamelContext().getRoutes().stream().map(r -> r.getRouteId()).sorted().toList());
        } catch (Exception e) {
            state.failed(RouteCheck.failure(e, routesDir));
            LOG.error("Reloading the table routes failed; fix the route files (the previous routes stay stopped until then): {}",
                    e.getMessage(), e);
        } finally {
            resumeSchedules(quartz);
        }
    }

    /**
     * Holds Quartz while the routes are swapped: a trigger firing between a table route's removal and its return made a
     * stray endpoint under the route's trigger key, and the returning route then lost its schedule (the table stopped
     * syncing). Passes due meanwhile fire when Quartz resumes. Null when no Quartz scheduler is running.
     */
    private Scheduler pauseSchedules() {
        if (!(getCamelContext().hasComponent("quartz") instanceof QuartzComponent component)
                || component.getScheduler() == null) {
            return null;
        }
        try {
            Scheduler quartz = component.getScheduler();
            if (quartz.isInStandbyMode()) {
                // not started yet (or held by someone else): left as it is
                return null;
            }
            quartz.standby();
            return quartz;
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot hold the Quartz scheduler for the reload: " + e.getMessage(), e);
        }
    }

    private static void resumeSchedules(Scheduler quartz) {
        if (quartz == null) {
            return;
        }
        try {
            if (!quartz.isShutdown()) {
                // shut down when the process stopped during the reload
                quartz.start();
            }
        } catch (SchedulerException e) {
            LOG.error("Quartz did not resume after the reload; no table is synced until a restart: {}", e.getMessage(), e);
        }
    }

    /**
     * Gives a route file that is empty a moment to be written: an editor (or {@code Files.writeString}) that truncates
     * the file and then writes it raises a change event in between, which would otherwise be refused as an empty file
     * before the real content arrives. A file still empty after that is checked (and refused) as it is.
     */
    private void awaitWritten() {
        Path empty = emptyRouteFile();
        if (empty == null) {
            return;
        }
        LOG.info("Route file {} is empty: giving it up to {} s to be written before checking it", empty.getFileName(),
                EMPTY_FILE_WAIT_NANOS / 1_000_000_000L);
        long deadline = System.nanoTime() + EMPTY_FILE_WAIT_NANOS;
        while (System.nanoTime() < deadline && emptyRouteFile() != null) {
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private Path emptyRouteFile() {
        return routeFiles().stream().filter(p -> {
            try {
                return Files.size(p) == 0;
            } catch (IOException e) {
                return false;
            }
        }).findFirst().orElse(null);
    }

    private List<Resource> allRouteFiles() {
        return routeFiles().stream()
                .map(p -> PluginHelper.getResourceLoader(getCamelContext()).resolveResource("file:" + p.toAbsolutePath()))
                .toList();
    }

    /** The route files in {@code routes/}, in name order. */
    private List<Path> routeFiles() {
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException("Cannot list route files in " + routesDir + ": " + e.getMessage(), e);
        }
    }
}
