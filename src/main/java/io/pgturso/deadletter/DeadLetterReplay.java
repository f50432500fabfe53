package io.pgturso.deadletter;

import static io.pgturso.route.RouteNames.REPLAY;
import static io.pgturso.route.RouteNames.REPLAY_AFTER;
import static io.pgturso.route.RouteNames.REPLAY_LETTER;
import static io.pgturso.route.RouteNames.REPLAY_LOCK;
import static io.pgturso.route.RouteNames.REPLAY_MORE;
import static io.pgturso.route.RouteNames.REPLAY_TABLE;
import static io.pgturso.route.RouteNames.REPLAY_TABLE_HEADER;
import static io.pgturso.route.RouteNames.REPLAY_TENANTS;

import io.pgturso.config.ConfigException;
import io.pgturso.failure.SyncFailures;
import io.pgturso.failure.TableBusyException;
import io.pgturso.pass.PositionalParameters;
import io.pgturso.pass.TableLocks;
import io.pgturso.pass.TransformStep;
import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.ChangeQuery;
import io.pgturso.source.TableConfig;
import io.pgturso.source.TableRegistry;
import io.pgturso.source.TableSpec;
import io.pgturso.target.DeadLetter;
import io.pgturso.target.DeadLetterStore;
import io.pgturso.target.TargetSql;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.RowRejectedException;
import io.pgturso.transform.RowTransformer;
import io.pgturso.transform.TargetRow;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code dead-letter-replay} route: re-read each dead-lettered row from Postgres by key and write it
 * again. Each table is replayed under the lock its passes take (no pass records or closes its dead letters meanwhile;
 * a table a pass holds is left for a later replay), its dead letters read {@value #CHUNK} at a time.
 */
@UsedByRoutes("dead-letter-replay: bean deadLetterReplay, each public method a step")
public class DeadLetterReplay {
    /** Dead letters read at once: however many there are, memory holds one chunk. */
    static final int CHUNK = 100;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final TableRegistry tables;
    private final DeadLetterStore store;
    private final DeadLetters deadLetters;
    private final TransformStep transform;
    private final TableLocks locks;
    private TenantReplay tenants;

    public DeadLetterReplay(TableRegistry tables, DeadLetterStore store, DeadLetters deadLetters, TransformStep transform,
            TableLocks locks) {
        this.tables = tables;
        this.store = store;
        this.deadLetters = deadLetters;
        this.transform = transform;
        this.locks = locks;
    }

    /** How the rows of tables with fan-out are replayed into their tenants' databases. */
    public void tenants(TenantReplay replay) {
        this.tenants = replay;
    }

    /** The target tables to replay: the table in the {@code table} header, or every configured table. */
    public List<String> tables(Exchange exchange) {
        String only = exchange.getMessage().getHeader(REPLAY_TABLE_HEADER, String.class);
        ReplayResult result = new ReplayResult();
        exchange.setVariable(REPLAY, result);
        List<String> targets = new ArrayList<>();
        for (TableConfig config : tables.configs()) {
            TableSpec spec = tables.spec(config);
            boolean named = only != null && (only.equals(config.routeId()) || only.equals(spec.targetTable()));
            if (only == null || named) {
                result.specs.put(spec.targetTable(), spec);
                targets.add(spec.targetTable());
            }
        }
        if (only != null && result.specs.isEmpty()) {
            throw new ConfigException("No configured table named '" + only + "'");
        }
        return targets;
    }

    /** Takes the lock of the table in the body; a table held by a pass (or another command) is left for later, and said so. */
    public void lockTable(Exchange exchange) throws SQLException {
        String table = exchange.getMessage().getBody(String.class);
        exchange.setVariable(REPLAY_TABLE, table);
        exchange.setVariable(REPLAY_AFTER, null);
        try {
            exchange.setVariable(REPLAY_LOCK, locks.hold(table, "replay"));
            exchange.setVariable(REPLAY_MORE, true);
        } catch (TableBusyException e) {
            result(exchange).busy.add(e.getMessage());
            exchange.setVariable(REPLAY_MORE, false);
            LOG.warn("{}: dead letters not replayed: {}", table, e.getMessage());
        }
    }

    /** The table's next dead letters, at most {@value #CHUNK}, in key order after the last ones read. */
    public List<DeadLetter> nextLetters(Exchange exchange) {
        List<DeadLetter> chunk = store.page(exchange.getVariable(REPLAY_TABLE, String.class),
                exchange.getVariable(REPLAY_AFTER, String.class), CHUNK);
        exchange.setVariable(REPLAY_MORE, chunk.size() == CHUNK);
        if (!chunk.isEmpty()) {
            exchange.setVariable(REPLAY_AFTER, chunk.get(chunk.size() - 1).key());
        }
        return chunk;
    }

    /** Releases the table's lock, if it was taken. */
    public void unlockTable(Exchange exchange) {
        TableLocks.Held held = exchange.getVariable(REPLAY_LOCK, TableLocks.Held.class);
        if (held != null) {
            held.close();
            exchange.removeVariable(REPLAY_LOCK);
        }
    }

    /** Puts the by-key query for the dead letter in the body as the statement of the read step, its key into the body. */
    public void rowQuery(Exchange exchange) {
        DeadLetter letter = exchange.getMessage().getBody(DeadLetter.class);
        exchange.removeVariable(REPLAY_TENANTS);
        TableSpec spec = result(exchange).specs.get(letter.table());
        exchange.setVariable(REPLAY_LETTER, letter);
        PositionalParameters.use(exchange, ChangeQuery.byKey(spec));
        exchange.getMessage().setBody(RowKey.parse(letter.key()).inOrder(spec));
    }

    /** The row was deleted in Postgres since it failed: nothing to write, the dead letter is closed. */
    public void sourceRowGone(Exchange exchange) {
        DeadLetter letter = letter(exchange);
        store.delete(letter.table(), letter.key());
        result(exchange).gone++;
        LOG.info("{}: dead letter {} closed: the row no longer exists in Postgres", letter.table(), letter.key());
    }

    /** Transforms the re-read row as a pass would (through the table's row hook) and sets the statement of the write step. */
    @SuppressWarnings("unchecked")
    public TargetRow transform(Exchange exchange) {
        TableSpec spec = spec(exchange);
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        TargetRow row = transform.transformOne(spec, rows.get(0));
        if (row == null) {
            throw new RowRejectedException(RowKey.of(spec, rows.get(0)), RowTransformer.sourceJson(spec, rows.get(0)),
                    "the transform hook " + spec.rules().changes().transform() + " skips this row");
        }
        // a row marked deleted, or no longer matching the table's where, leaves the target
        PositionalParameters.use(exchange, row.deleted() ? TargetSql.delete(spec) : TargetSql.upsert(spec));
        // fan-out: the row goes to its tenant's database as Postgres has it now (a row moved since it failed: the new one)
        exchange.setVariable(REPLAY_TENANTS, spec.fansOut() ? tenants.prepare(spec, row) : null);
        return row;
    }

    /** Fan-out: the row leaves the tenant databases it is no longer in (its tenant changed, or it is deleted). */
    public void leaveOthers(Exchange exchange) {
        tenants.leave(spec(exchange), exchange.getVariable(REPLAY_TENANTS, TenantReplay.Databases.class));
    }

    /** The row is in the target now: the dead letter is closed. */
    public void replayed(Exchange exchange) {
        DeadLetter letter = letter(exchange);
        store.delete(letter.table(), letter.key());
        result(exchange).replayed++;
        LOG.info("{}: dead letter {} replayed", letter.table(), letter.key());
    }

    /** The row failed again: the dead letter stays, with the new error and one more attempt. */
    public void failedAgain(Exchange exchange) {
        DeadLetter letter = letter(exchange);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String stage = error instanceof RowRejectedException ? "transform" : "write";
        String message = error instanceof RowRejectedException ? error.getMessage() : SyncFailures.describe(error);
        // the row as read now, kept as a dead letter keeps it (a letter written before may hold more)
        String row = error instanceof RowRejectedException rejected ? rejected.sourceJson() : letter.row();
        TenantReplay.Databases where = exchange.getVariable(REPLAY_TENANTS, TenantReplay.Databases.class);
        if (where != null && where.database() != null && stage.equals("write")) {
            deadLetters.record(letter.table(), RowKey.parse(letter.key()), row, stage, message, where.database());
        } else {
            deadLetters.record(letter.table(), RowKey.parse(letter.key()), row, stage, message);
        }
        result(exchange).failed++;
        LOG.warn("{}: dead letter {} failed again ({}): {}", letter.table(), letter.key(), stage, message);
    }

    /** Logs the run's summary and returns it as the body. */
    public ReplayResult summary(Exchange exchange) {
        ReplayResult result = result(exchange);
        LOG.info("Replay: {}", result);
        return result;
    }

    private static DeadLetter letter(Exchange exchange) {
        return exchange.getVariable(REPLAY_LETTER, DeadLetter.class);
    }

    private static ReplayResult result(Exchange exchange) {
        return exchange.getVariable(REPLAY, ReplayResult.class);
    }

    private static TableSpec spec(Exchange exchange) {
        return result(exchange).specs.get(letter(exchange).table());
    }
}
