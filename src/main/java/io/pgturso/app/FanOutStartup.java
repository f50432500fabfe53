package io.pgturso.app;

import io.pgturso.config.ConfigException;
import io.pgturso.config.FanOutSettings;
import io.pgturso.config.TargetTemplate;
import io.pgturso.source.TableSpec;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.tenant.TenantRegistry;
import io.pgturso.tenant.TursoPlatform;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start-up's part for a database per tenant: settings that fit the tables, the control database, the registry tables. */
final class FanOutStartup {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutStartup.class);

    private final FanOutSettings settings;
    private final TursoPlatform platform;
    private final TenantRegistry registry;
    private final TenantKeys keys;

    FanOutStartup(FanOutSettings settings, TursoPlatform platform, TenantRegistry registry, TenantKeys keys) {
        this.settings = settings;
        this.platform = platform;
        this.registry = registry;
        this.keys = keys;
    }

    /** Before the control database is reached: Turso's settings are complete, and a default control database exists. */
    void beforeTarget() {
        if (settings == null) {
            return;
        }
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) {
            throw new ConfigException("sync.target.url names {tenant} (a database per tenant on Turso), but: "
                    + String.join("; ", problems));
        }
        if (platform != null && settings.controlFromTemplate()) {
            // the default control database is named after the template, and created as a tenant's would be
            if (platform.create(TargetTemplate.CONTROL_NAME)) {
                LOG.info("Created the control database {} through the Turso Platform API", settings.control());
            }
        }
    }

    /** Once the tables are valid: tables with fan-out need a template, and the registry and key index exist. */
    void afterTables(List<TableSpec> specs) {
        List<String> fanning = specs.stream().filter(TableSpec::fansOut).map(TableSpec::routeId).toList();
        if (settings == null) {
            if (!fanning.isEmpty()) {
                throw new ConfigException("Tables " + fanning + " have fanOut, but sync.target.url (or TURSO_DATABASE_URL) names "
                        + "no {tenant}: set it to a template such as file:data/tenants/{tenant}.db or libsql://{tenant}-myorg.turso.io");
            }
            return;
        }
        List<String> single = new ArrayList<>(specs.stream().filter(s -> !s.fansOut()).map(TableSpec::routeId).toList());
        if (fanning.isEmpty()) {
            LOG.warn("sync.target.url names {tenant}, but no table has fanOut: every table goes to the control database {}",
                    settings.control());
        }
        registry.createTable();
        keys.createTable();
        LOG.info("A database per tenant: tables {} into {} (at most {} open at once); tables {}, checkpoints and dead "
                + "letters into the control database {}", fanning, settings.template(), settings.maxOpen(), single,
                settings.control());
    }
}
