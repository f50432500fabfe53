package io.pgturso.cdc.apply;

import io.pgturso.cdc.PgTransaction;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Change;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Delete;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Insert;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Truncate;
import io.pgturso.cdc.pgoutput.PgOutputMessage.Update;
import io.pgturso.cdc.pgoutput.Relation;
import io.pgturso.pass.TransformStep;
import io.pgturso.source.ChangeQuery;
import io.pgturso.source.TableSpec;
import io.pgturso.transform.RowKey;
import io.pgturso.transform.RowRejectedException;
import io.pgturso.transform.RowTransformer;
import io.pgturso.transform.TargetRow;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Maps the transactions of one exchange to target writes, in the order Postgres made the changes: each row read as a
 * page would read it ({@link ChangeRow}), through the table's type mapping and row hook as in a pass; an insert or
 * update is an upsert (an update that left large values out writes only what it sent), a key change deletes the old key
 * and writes the new one, a delete deletes by key, a truncate empties the table. A transaction the target already holds
 * (committed before the stored position) is skipped, and so is a change its table's snapshot copy holds.
 */
final class ChangeMapper {
    private final StreamTables tables;
    private final TransformStep transform;
    private final DataSource source;
    private final ChangeSql sql;
    private final OpenDeadLetters deadLetters;

    ChangeMapper(StreamTables tables, TransformStep transform, DataSource source, ChangeSql sql, OpenDeadLetters deadLetters) {
        this.tables = tables;
        this.transform = transform;
        this.source = source;
        this.sql = sql;
        this.deadLetters = deadLetters;
    }

    /** One read change of a table, waiting for its values that Postgres turns ({@link TextCasts}). */
    private record Read(TableSpec spec, Change change, ChangeRow row, ChangeRow old, long lsn) {
    }

    /**
     * The writes of {@code transactions} (committed in that order), leaving out those that committed before
     * {@code applied}, the position the target holds; {@code lsn} is the position to store with them.
     */
    ChangeBatch map(List<PgTransaction> transactions, long lsn, long applied) throws SQLException, InterruptedException {
        PgTransaction last = transactions.get(transactions.size() - 1);
        ChangeBatch batch = new ChangeBatch(lsn, last.commitTime());
        TextCasts casts = new TextCasts(source);
        List<Read> reads = new ArrayList<>();
        for (PgTransaction t : transactions) {
            // a transaction committed before the stored position is in the target already (its end is at or below it)
            boolean held = applied != Lsn.NONE && Lsn.compare(t.commitLsn(), applied) < 0;
            batch.transaction(held);
            if (!held) {
                for (Change change : t.changes()) {
                    read(change, t.commitLsn(), casts, reads);
                }
            }
        }
        casts.resolve();
        for (Read read : reads) {
            write(read, batch);
        }
        return batch;
    }

    private void read(Change change, long lsn, TextCasts casts, List<Read> reads) throws InterruptedException {
        if (change instanceof Truncate truncate) {
            for (Relation relation : truncate.relations()) {
                TableSpec spec = tables.spec(relation);
                if (spec != null && tables.fromStream(spec, lsn)) {
                    reads.add(new Read(spec, change, null, null, lsn));
                }
            }
            return;
        }
        Relation relation = change instanceof Insert i ? i.relation() : change instanceof Update u ? u.relation()
                : change instanceof Delete d ? d.relation() : null;
        TableSpec spec = relation == null ? null : tables.spec(relation);
        if (spec == null || !tables.fromStream(spec, lsn)) {
            return;
        }
        if (change instanceof Insert insert) {
            reads.add(new Read(spec, change, ChangeRow.of(spec, relation, insert.newRow(), casts), null, lsn));
        } else if (change instanceof Update update) {
            boolean oldSent = update.oldKey() != null || update.oldRow() != null;
            ChangeRow old = oldSent ? ChangeRow.of(spec, relation, update.oldIdentity(), casts) : null;
            reads.add(new Read(spec, change, ChangeRow.of(spec, relation, update.newRow(), casts), old, lsn));
        } else if (change instanceof Delete delete) {
            reads.add(new Read(spec, change, null, ChangeRow.of(spec, relation, delete.oldIdentity(), casts), lsn));
        }
    }

    private void write(Read read, ChangeBatch batch) {
        TableSpec spec = read.spec();
        if (read.change() instanceof Truncate) {
            emit(batch, new RowWrite(spec, sql.truncate(spec), List.of(), false), -1,
                    new RowWrite.Tenanted(RowWrite.Kind.TRUNCATE, read.lsn(), null, null, null, null, null));
            return;
        }
        if (read.row() == null) {
            delete(spec, read.old(), read.lsn(), batch);
            return;
        }
        boolean moved = read.old() != null && !read.row().sameKey(spec, read.old());
        TargetRow row;
        try {
            if (read.row().problem() != null) {
                throw new RowRejectedException(RowKey.of(spec, read.row().values()),
                        RowTransformer.sourceJson(spec, read.row().values()), read.row().problem());
            }
            row = transform.transformOne(spec, read.row().values());
        } catch (RowRejectedException e) {
            batch.rejectOfTenant(spec, e, read.lsn(), (String) read.row().values().get(ChangeQuery.TENANT_ALIAS));
            if (moved) {
                delete(spec, read.old(), read.lsn(), batch); // the row is no longer under its old key, whatever its new one holds
            }
            return;
        }
        if (moved) {
            if (row != null && !row.deleted() && !read.row().whole()) {
                // the new row takes the values the change left out from the old row, which goes after
                Set<String> unsent = read.row().unsent();
                List<Object> parameters = ChangeSql.sent(spec, unsent, row.values(), true);
                parameters.addAll(read.old().targetKey(spec));
                emit(batch, new RowWrite(spec, sql.move(spec, unsent), parameters, false), ChangeBatch.UPSERTED,
                        tenanted(RowWrite.Kind.MOVE, read, row));
                written(spec, read.row(), batch);
                delete(spec, read.old(), read.lsn(), batch);
                return;
            }
            delete(spec, read.old(), read.lsn(), batch);
        }
        if (row == null) {
            batch.skipped(spec);
        } else if (row.deleted()) {
            delete(spec, read.row(), read.lsn(), batch);
        } else if (read.row().whole()) {
            emit(batch, new RowWrite(spec, sql.upsert(spec), row.values(), true), ChangeBatch.UPSERTED,
                    tenanted(RowWrite.Kind.UPSERT, read, row));
            written(spec, read.row(), batch);
        } else {
            Set<String> unsent = read.row().unsent();
            List<Object> parameters = ChangeSql.sent(spec, unsent, row.values(), false);
            parameters.addAll(read.row().targetKey(spec));
            emit(batch, new RowWrite(spec, sql.update(spec, unsent), parameters, false), ChangeBatch.UPSERTED,
                    tenanted(RowWrite.Kind.UPDATE, read, row));
            written(spec, read.row(), batch);
        }
    }

    private void delete(TableSpec spec, ChangeRow old, long lsn, ChangeBatch batch) {
        List<Object> key = old.targetKey(spec);
        emit(batch, new RowWrite(spec, sql.delete(spec), key, false), ChangeBatch.DELETED, new RowWrite.Tenanted(
                RowWrite.Kind.DELETE, lsn, null, old.values(), key, null, (String) old.values().get(ChangeQuery.TENANT_ALIAS)));
        written(spec, old, batch);
    }

    /** A write of the row {@code row} (transformed) of {@code read}, into its tenant's database. */
    private static RowWrite.Tenanted tenanted(RowWrite.Kind kind, Read read, TargetRow row) {
        return new RowWrite.Tenanted(kind, read.lsn(), row.tenant(), read.row().values(), read.row().targetKey(read.spec()),
                read.old() == null ? null : read.old().values(), null);
    }

    /** Adds the write with what it is about (its row, its transaction: to dead-letter it, and to route a table with fan-out). */
    private static void emit(ChangeBatch batch, RowWrite write, int countAs, RowWrite.Tenanted tenanted) {
        batch.write(write.tenanted(tenanted), countAs);
    }

    /** The row's latest change is written: its dead letter, if it has one, closes with the batch. */
    private void written(TableSpec spec, ChangeRow row, ChangeBatch batch) {
        if (deadLetters.mayHave(spec.targetTable()) || !batch.getRejected().isEmpty()) {
            batch.outcome(spec, RowKey.of(spec, row.values()).json(), true);
        }
    }
}
