package io.pgturso.cdc.camel;

/** The headers a {@code pgcdc:} exchange carries, for the route's steps (the simple language reads them too). */
public final class PgCdcConstants {
    /** The position to store in the target with the rows (long): the end of the last transaction; 0 for a part before the last. */
    public static final String LSN = "CamelPgCdcLsn";
    /** The same position as Postgres writes it ({@code 16/B374D848}), for logs and status. */
    public static final String LSN_TEXT = "CamelPgCdcLsnText";
    /** The commit LSN of the last (or only) transaction (long): transactions arrive in this order. */
    public static final String COMMIT_LSN = "CamelPgCdcCommitLsn";
    /** When the last (or only) transaction committed in Postgres ({@link java.time.Instant}). */
    public static final String COMMIT_TIME = "CamelPgCdcCommitTime";
    /** The transaction id of the last (or only) transaction (long). */
    public static final String XID = "CamelPgCdcXid";
    /** The part of a large transaction (int, 0 for the first or only part). */
    public static final String PART = "CamelPgCdcPart";
    /** This exchange ends its transaction (boolean): false only for the parts before the last of a large one. */
    public static final String LAST_PART = "CamelPgCdcLastPart";
    /** How many transactions the body holds (int): more than 1 only for a group. */
    public static final String TRANSACTIONS = "CamelPgCdcTransactions";
    /** How many changes the body holds (int). */
    public static final String CHANGES = "CamelPgCdcChanges";
    /** The slot streamed from. */
    public static final String SLOT = "CamelPgCdcSlot";

    private PgCdcConstants() {
    }
}
