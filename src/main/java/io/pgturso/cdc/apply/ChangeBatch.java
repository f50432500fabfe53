package io.pgturso.cdc.apply;

import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.failure.SyncFailures;
import io.pgturso.route.UsedByRoutes;
import io.pgturso.source.TableSpec;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.RowRejectedException;
import io.pgturso.transform.RowTransformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One change-stream exchange mapped for the target (exchange variable {@code changes}): the writes in stream order, the
 * rows that go to the dead letters instead, the dead letters its writes close, the position to store with them, and
 * per table what it did.
 */
public final class ChangeBatch {
    private List<RowWrite> writes = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    /** Per target table: key (as stored in dead letters) to whether the batch's last change of it was written. */
    private final Map<String, Map<String, Boolean>> lastOutcome = new HashMap<>();
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final long lsn;
    private final Instant commitTime;
    private int transactions;
    private int alreadyApplied;
    private TenantPlan tenantPlan;
    /** Index in {@link #rejected} to the tenant (fanOut value) of a row of a table with fan-out rejected before routing. */
    private final Map<Integer, String> rejectedTenants = new HashMap<>();

    /**
     * A row of the batch that could not be transformed or routed; {@code lsn}: where its transaction committed;
     * {@code tenantDatabase}: the tenant database it was for (a table with fan-out), else null.
     */
    public record Rejected(TableSpec spec, RowRejectedException error, long lsn, String tenantDatabase) {
    }

    ChangeBatch(long lsn, Instant commitTime) {
        this.lsn = lsn;
        this.commitTime = commitTime;
    }

    /** The rows that go to the dead letters (the route's filter reads its size). */
    @UsedByRoutes("cdc: ${variable.changes.rejected.size}")
    public List<Rejected> getRejected() {
        return rejected;
    }

    List<RowWrite> writes() {
        return writes;
    }

    /** The writes once routed to their databases (a table with fan-out's to its tenants'), with what routing decided. */
    void routed(List<RowWrite> routed, TenantPlan plan) {
        writes = routed;
        tenantPlan = plan;
    }

    /** What the tenant databases' parts of the batch need besides their writes, or null when it has none. */
    TenantPlan tenantPlan() {
        return tenantPlan;
    }

    /** The position to store with the rows: the end of the exchange's last transaction; {@link Lsn#NONE} for a part before the last. */
    public long lsn() {
        return lsn;
    }

    /** When the exchange's last transaction committed in Postgres. */
    public Instant commitTime() {
        return commitTime;
    }

    /** Transactions mapped, and those skipped because the target already held them (sent again after a restart). */
    public int transactions() {
        return transactions;
    }

    public int alreadyApplied() {
        return alreadyApplied;
    }

    void transaction(boolean applied) {
        if (applied) {
            alreadyApplied++;
        } else {
            transactions++;
        }
    }

    /** Whether there is nothing to write (the position alone may still be stored). */
    public boolean empty() {
        return writes.isEmpty();
    }

    void write(RowWrite write, int countAs) {
        writes.add(write);
        if (countAs >= 0) {
            count(write.spec(), countAs, 1);
        }
    }

    void reject(TableSpec spec, RowRejectedException error, long at) {
        reject(spec, error, at, null);
    }

    /** A row of a table with fan-out that could not be mapped: routing names the database of {@code tenant} (if any). */
    void rejectOfTenant(TableSpec spec, RowRejectedException error, long at, String tenant) {
        if (tenant != null) {
            rejectedTenants.put(rejected.size(), tenant);
        }
        reject(spec, error, at, null);
    }

    /** Names the tenant database of each row rejected before routing, by its tenant. */
    void nameTenantDatabases(Function<String, String> databaseFor) {
        rejectedTenants.forEach((index, tenant) -> {
            Rejected r = rejected.get(index);
            rejected.set(index, new Rejected(r.spec(), r.error(), r.lsn(), databaseFor.apply(tenant)));
        });
        rejectedTenants.clear();
    }

    void reject(TableSpec spec, RowRejectedException error, long at, String tenantDatabase) {
        rejected.add(new Rejected(spec, error, at, tenantDatabase));
        count(spec, DEAD_LETTERED, 1);
        outcome(spec, error.key().json(), false);
    }

    /**
     * A write its database refused ({@code error}): counted and kept open as a dead letter with its transaction's
     * position, naming its tenant database if it has one (the caller records it).
     */
    Rejected refused(RowWrite write, Throwable error) {
        TableSpec spec = write.spec();
        RowWrite.Tenanted t = write.tenanted();
        RowRejectedException rejection = new RowRejectedException(RowKey.of(spec, t.source()),
                RowTransformer.sourceJson(spec, t.source()), SyncFailures.describe(error));
        count(spec, DEAD_LETTERED, 1);
        outcome(spec, rejection.key().json(), false);
        return new Rejected(spec, rejection, t.lsn(), write.database());
    }

    void skipped(TableSpec spec) {
        count(spec, SKIPPED, 1);
    }

    /** Notes that the batch's latest change of the row with this key was written (true) or dead-lettered (false). */
    void outcome(TableSpec spec, String key, boolean written) {
        lastOutcome.computeIfAbsent(spec.targetTable(), t -> new LinkedHashMap<>()).put(key, written);
    }

    /** Per target table, the keys whose latest change was written: their dead letters close with the batch. */
    Map<String, List<String>> written() {
        Map<String, List<String>> out = new HashMap<>();
        lastOutcome.forEach((table, keys) -> keys.forEach((key, written) -> {
            if (written) {
                out.computeIfAbsent(table, t -> new ArrayList<>()).add(key);
            }
        }));
        return out;
    }

    static final int UPSERTED = 0;
    static final int DELETED = 1;
    static final int DEAD_LETTERED = 2;
    static final int SKIPPED = 3;

    private void count(TableSpec spec, int what, long n) {
        counts.computeIfAbsent(spec.routeId(), t -> new long[4])[what] += n;
    }

    /** Per table (route id): rows upserted, deleted, dead-lettered and skipped by a hook. */
    public Map<String, long[]> counts() {
        return counts;
    }
}
