package io.pgturso.route;

/**
 * Every name the route files ({@code routes/*.camel.yaml}) and the Java steps share, named once, as camel-sql keeps its
 * own in {@code SqlConstants}. A route file writes the value; the Java uses the constant. Renaming one breaks the other.
 */
public final class RouteNames {
    // --- exchange variables and properties of a table's pass (table-sync and write-page) ---
    /** Variable: the pass ({@code TablePass}); table-sync loops while {@code ${variable.pass.more}}. */
    public static final String PASS = "pass";
    /** Variable: the page ({@code Page}) being transformed or written; write-page reads {@code ${variable.page.deletes.size}}. */
    public static final String PAGE = "page";
    /** Variable: when the writer took the page ({@link System#nanoTime()}); marks an exchange of the page writer. */
    public static final String WRITER_STARTED = "writerStarted";
    /** Variable: the SQL the next {@code source-sql:} or {@code target-sql:} step runs, set by the bean step before it. */
    public static final String STATEMENT = "pgturso.statement";
    /** Exchange property: the pass failed (its error was handled by sync-error-handling, so the exchange holds none). */
    public static final String FAILED = "pgturso.failed";

    // --- cdc tables: the change stream (cdc.camel.yaml) ---
    /**
     * Header of a table-sync exchange: this pass copies a cdc table from the change stream's snapshot; without it a cdc
     * table's scheduled pass stops at once (its rows come from the stream).
     */
    public static final String SNAPSHOT_COPY_HEADER = "pgtursoSnapshotCopy";
    /**
     * Header of a table-sync exchange of a table with fan-out: this pass copies only this tenant's rows again, compared
     * with its database, and moves no checkpoint ({@code resync --table T --tenant X}).
     */
    public static final String RESYNC_TENANT_HEADER = "pgtursoResyncTenant";
    /** Header of a table-sync exchange run by a command that holds the table's lock already ({@code TableLocks.Held}). */
    public static final String HELD_LOCK_HEADER = "pgtursoHeldLock";
    /** The route that streams the cdc tables' changes (cdc.camel.yaml), started by the sync once their copy is done. */
    public static final String CDC_ROUTE = "cdc-stream";
    /** Variable of a change-stream exchange: its changes mapped to target writes ({@code ChangeBatch}). */
    public static final String CHANGES = "changes";
    // --- write-tenant-page (a table with fan-out) ---
    /** Variable: the page's parts by tenant database ({@code TenantPage}), from the split to the checkpoint. */
    public static final String TENANT_PAGE = "tenantPage";
    /** Variable: the part of a page for one tenant database ({@code TenantPart}). */
    public static final String TENANT_PART = "part";
    /**
     * Variables of a part, plain values (read by the route without a method call on {@link #TENANT_PART} for each
     * part): its database's name ({@code ${variable.database}}), its rows to upsert and its deletes (counts).
     */
    public static final String TENANT_DATABASE = "database";
    public static final String TENANT_UPSERTS = "upserts";
    public static final String TENANT_DELETES = "deletes";

    // --- dead-letter-replay ---
    /** Header of {@link #REPLAY_DEAD_LETTERS}: the one table to replay (route id or target table; every table when absent). */
    public static final String REPLAY_TABLE_HEADER = "table";
    /** Variable: the run's counts ({@code ReplayResult}), the route's body at the end. */
    public static final String REPLAY = "replay";
    /** Variable: the target table being replayed. */
    public static final String REPLAY_TABLE = "replayTable";
    /** Variable: the key of the last dead letter read, where the next chunk starts. */
    public static final String REPLAY_AFTER = "replayAfter";
    /** Variable: whether another chunk of dead letters may follow; the route loops while {@code ${variable.replayMore}}. */
    public static final String REPLAY_MORE = "replayMore";
    /** Variable: the table's lock, held while its dead letters are replayed. */
    public static final String REPLAY_LOCK = "replayLock";
    /**
     * Variable: where a replayed row of a table with fan-out goes ({@code TenantReplay.Databases}):
     * {@code ${variable.replayTenants.database}} names its tenant's database; null for a table without fan-out.
     */
    public static final String REPLAY_TENANTS = "replayTenants";
    /** Variable: the dead letter being replayed. */
    public static final String REPLAY_LETTER = "letter";

    // --- headers the user's routes see ---
    /** Header of a row hook's exchange: the target table of the row, for hooks shared by several tables. */
    public static final String HOOK_TABLE_HEADER = "syncTable";
    /** Header of a dead letter sent to {@link #DEAD_LETTER}: its target table. */
    public static final String DEAD_LETTER_TABLE_HEADER = "table";
    /** Header of a dead letter sent to {@link #DEAD_LETTER}: where it failed, {@code transform} or {@code write}. */
    public static final String DEAD_LETTER_STAGE_HEADER = "stage";

    // --- endpoints ---
    /** The page writer (write-page.camel.yaml), which the pass hands each page to. */
    public static final String WRITE_PAGE = "direct:write-page";
    /** The page writer of a table with fan-out (write-tenant-page.camel.yaml): each row into its tenant's database. */
    public static final String WRITE_TENANT_PAGE = "direct:write-tenant-page";
    /** The camel-sql preset for tenant databases: {@code tenant-sql:STEP?database=NAME} runs the statement its bean step set. */
    public static final String TENANT_SQL = "tenant-sql";
    /** The dead letters' way out to {@code sync.dead-letter.uri} (dead-letter-endpoint.camel.yaml). */
    public static final String DEAD_LETTER = "direct:dead-letter";
    /** The replay of dead letters (dead-letter-replay.camel.yaml), started by the {@code replay} command. */
    public static final String REPLAY_DEAD_LETTERS = "direct:replay-dead-letters";
    /** The camel-sql component preset for Postgres: {@code source-sql:STEP} runs the statement its bean step set. */
    public static final String SOURCE_SQL = "source-sql";
    /** The camel-sql component preset for the target: {@code target-sql:STEP} runs the statement its bean step set. */
    public static final String TARGET_SQL = "target-sql";

    private RouteNames() {
    }
}
