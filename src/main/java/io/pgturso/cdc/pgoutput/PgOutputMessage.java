package io.pgturso.cdc.pgoutput;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One pgoutput (protocol version 1) message. A transaction arrives whole, in commit order: {@link Begin}, its
 * {@link Change}s (with {@link Relation} and {@link Type} messages where a table is first seen or changed), {@link Commit}.
 */
public sealed interface PgOutputMessage permits PgOutputMessage.Begin, PgOutputMessage.Commit, PgOutputMessage.Origin,
        Relation, PgOutputMessage.Type, PgOutputMessage.Change {

    /** A change to rows (or a transactional logical message) inside a transaction, in the order it was made. */
    sealed interface Change extends PgOutputMessage permits Insert, Update, Delete, Truncate, LogicalMessage {
    }

    /**
     * Start of a transaction ({@code B}).
     *
     * @param finalLsn   the LSN of its commit record (= {@link Commit#commitLsn()})
     * @param commitTime when it committed (microseconds)
     * @param xid        its transaction id (unsigned)
     */
    record Begin(long finalLsn, Instant commitTime, long xid) implements PgOutputMessage {
    }

    /**
     * End of a transaction ({@code C}).
     *
     * @param flags      unused by Postgres (0)
     * @param commitLsn  the LSN of its commit record
     * @param endLsn     the end of its commit record: the position to confirm once it is applied (a restart from here
     *                   does not send it again)
     * @param commitTime when it committed (microseconds)
     */
    record Commit(int flags, long commitLsn, long endLsn, Instant commitTime) implements PgOutputMessage {
    }

    /**
     * The transaction was replayed from another server ({@code O}), named by its replication origin.
     *
     * @param commitLsn the commit's LSN on the origin server
     * @param name      the origin's name
     */
    record Origin(long commitLsn, String name) implements PgOutputMessage {
    }

    /**
     * A data type of a column that is not built in ({@code Y}: enums, domains, composite types), sent before the
     * {@link Relation} that uses it.
     *
     * @param oid       the type's OID (unsigned)
     * @param namespace its schema (empty for {@code pg_catalog})
     * @param name      its name
     */
    record Type(long oid, String namespace, String name) implements PgOutputMessage {
    }

    /** A row inserted ({@code I}). */
    record Insert(Relation relation, TupleData newRow) implements Change {
        public Insert {
            Objects.requireNonNull(relation, "relation");
            Objects.requireNonNull(newRow, "newRow");
        }
    }

    /**
     * A row updated ({@code U}).
     *
     * @param relation its table
     * @param oldKey   the old key ({@code K}), sent only when the update changed a replica identity column; the other
     *                 columns are null in it. Null otherwise.
     * @param oldRow   the whole old row ({@code O}), sent instead of {@code oldKey} for {@code REPLICA IDENTITY FULL}.
     *                 Null otherwise.
     * @param newRow   the row after the update; a large value it did not change is {@link TupleValue#UNCHANGED_TOAST}
     */
    record Update(Relation relation, TupleData oldKey, TupleData oldRow, TupleData newRow) implements Change {
        public Update {
            Objects.requireNonNull(relation, "relation");
            Objects.requireNonNull(newRow, "newRow");
        }

        /** The row's identity before the update: the old key or old row when sent, else the new row (the key did not change). */
        public TupleData oldIdentity() {
            return oldKey != null ? oldKey : oldRow != null ? oldRow : newRow;
        }
    }

    /**
     * A row deleted ({@code D}): its key ({@code K}, the other columns null) or, for {@code REPLICA IDENTITY FULL}, its
     * whole row ({@code O}); exactly one of them is set.
     */
    record Delete(Relation relation, TupleData oldKey, TupleData oldRow) implements Change {
        public Delete {
            Objects.requireNonNull(relation, "relation");
            if ((oldKey == null) == (oldRow == null)) {
                throw new IllegalArgumentException("a delete carries either its old key or its old row");
            }
        }

        /** The deleted row's identity: its key, or its whole row. */
        public TupleData oldIdentity() {
            return oldKey != null ? oldKey : oldRow;
        }
    }

    /**
     * Tables truncated by one {@code TRUNCATE} ({@code T}).
     *
     * @param relations       the tables, those truncated by cascade included
     * @param cascade         {@code CASCADE} was given
     * @param restartIdentity {@code RESTART IDENTITY} was given
     */
    record Truncate(List<Relation> relations, boolean cascade, boolean restartIdentity) implements Change {
        public Truncate {
            relations = List.copyOf(relations);
        }
    }

    /**
     * A message written with {@code pg_logical_emit_message} ({@code M}), sent only with the stream option
     * {@code messages}. A transactional one is part of its transaction; the others stand alone.
     */
    record LogicalMessage(boolean transactional, long lsn, String prefix, byte[] content) implements Change {
        public LogicalMessage {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(content, "content");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LogicalMessage m && transactional == m.transactional && lsn == m.lsn
                    && prefix.equals(m.prefix) && Arrays.equals(content, m.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(transactional, lsn, prefix, Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "LogicalMessage[transactional=" + transactional + ", lsn=" + Lsn.format(lsn) + ", prefix=" + prefix
                    + ", " + content.length + " bytes]";
        }
    }
}
