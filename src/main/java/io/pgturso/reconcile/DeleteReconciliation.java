package io.pgturso.reconcile;

import io.pgturso.config.VerifySettings;
import io.pgturso.failure.SyncFailures;
import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.SyncMode;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableSpec;
import io.pgturso.tenant.TenantDatabases;
import io.pgturso.tenant.TenantKeys;
import io.pgturso.failure.TableBusyException;
import io.pgturso.pass.TableLocks;
import io.pgturso.source.TableRegistry;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the {@code delete-reconciliation} route: which tables to reconcile, one table's run, a failed run. */
@UsedByRoutes("delete-reconciliation: bean deleteReconciliation, methods tables, reconcile and failed")
public class DeleteReconciliation {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteReconciliation.class);

    private final TableRegistry tables;
    private final DataSource source;
    private final DataSource target;
    private final VerifySettings settings;
    private final ReconcilePositions positions;
    private final TableLocks locks;
    private TenantDatabases tenants;
    private TenantKeys tenantKeys;

    public DeleteReconciliation(TableRegistry tables, DataSource source, DataSource target, VerifySettings settings,
            TableLocks locks) {
        this.tables = tables;
        this.locks = locks;
        this.source = source;
        this.target = target;
        this.settings = settings;
        this.positions = new ReconcilePositions(target);
    }

    /** The tenant databases and their key index, where the rows of the tables with fan-out are. */
    public void tenants(TenantDatabases databases, TenantKeys keys) {
        this.tenants = databases;
        this.tenantKeys = keys;
    }

    /** The route ids of the tables to reconcile ({@code sync.reconcile.tables}); unknown names are logged. */
    public List<String> tables() {
        // a streamed table with fan-out gets its deletes from the stream, whose writes take no table lock
        List<TableConfig> all = tables.configs().stream().filter(c -> !(c.fansOut() && c.mode() == SyncMode.CDC)).toList();
        if (settings.reconcileTables().isEmpty()) {
            return all.stream().map(TableConfig::routeId).toList();
        }
        for (String name : settings.reconcileTables()) {
            if (tables.configs().stream().anyMatch(c -> matches(c, name) && !all.contains(c))) {
                LOG.warn("sync.reconcile.tables names '{}', which is streamed with fan-out (mode cdc): the stream deletes its "
                        + "rows, it is not reconciled", name);
            } else if (all.stream().noneMatch(c -> matches(c, name))) {
                LOG.warn("sync.reconcile.tables names '{}', which is no configured table (tables: {})", name,
                        all.stream().map(TableConfig::routeId).toList());
            }
        }
        return all.stream().filter(c -> settings.reconcileTables().stream().anyMatch(n -> matches(c, n)))
                .map(TableConfig::routeId).toList();
    }

    /** Reconciles one table for at most {@code sync.reconcile.max-chunks} chunks and logs what it did. */
    public ReconcileRun reconcile(String routeId) throws SQLException {
        TableConfig config = tables.config(routeId).orElseThrow(() -> new IllegalArgumentException("No table '" + routeId + "'"));
        ReconcileRun run = run(tables.spec(config), settings.reconcileMaxChunks());
        LOG.info("{}", run);
        return run;
    }

    /** Reconciles one whole table from its first key to its last (used by {@code resync}); returns the rows deleted. */
    public long reconcileAll(String routeId) throws SQLException {
        TableConfig config = tables.config(routeId).orElseThrow(() -> new IllegalArgumentException("No table '" + routeId + "'"));
        TableSpec spec = tables.spec(config);
        positions.createTable();
        positions.save(spec, null, 0);
        ReconcileRun run = run(spec, Integer.MAX_VALUE);
        LOG.info("{}", run);
        if (run.stopped() != null) {
            throw new TableBusyException(run.toString());
        }
        return run.deleted();
    }

    /** A run over the table's target, or for a table with fan-out over its tenant databases through their key index. */
    private ReconcileRun run(TableSpec spec, int maxChunks) throws SQLException {
        if (!spec.fansOut()) {
            return new TableReconciliation(source, target, positions, settings.reconcileChunkSize(), locks).run(spec, maxChunks);
        }
        if (tenants == null) {
            throw new IllegalStateException("A table with fan-out, but no tenant databases given to the delete reconciliation");
        }
        return new TenantReconciliation(source, tenants, tenantKeys, positions, settings.reconcileChunkSize(), locks)
                .run(spec, maxChunks);
    }

    /** Logs a failed run: nothing of the failed chunk was deleted, and the next run starts again at it. */
    public void failed(Exchange exchange) {
        String routeId = exchange.getMessage().getBody(String.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean fansOut = tables.config(routeId).map(TableConfig::fansOut).orElse(false);
        // a table with fan-out: the chunk's deletes are one transaction per tenant database, so some may be done
        LOG.error("{}: delete reconciliation failed, {}; the next run starts again at it: {}", routeId, fansOut
                ? "the failed chunk's rows confirmed gone may have left some tenant databases, not the others"
                : "nothing of the failed chunk deleted", SyncFailures.describe(error));
    }

    private boolean matches(TableConfig config, String name) {
        return config.routeId().equals(name) || config.targetTable().equalsIgnoreCase(name) || config.table().equals(name);
    }
}
