package io.pgturso.config;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every {@code sync.*} setting, declared once: name, type, default, check (its range) and one line of doc, and whether
 * it is a secret. Adding a setting is one line here; its default then reaches Java ({@link SettingValues}) and the
 * routes' {@code {{name}}} placeholders alike. A table's own parameters: {@link TableParameters}.
 */
public final class Settings {
    private static final Map<String, Setting> ALL = new LinkedHashMap<>();

    // --- source: Postgres (environment DATABASE_URL, PGUSER, PGPASSWORD win) ---
    public static final Setting SOURCE_URL = define("sync.source.url", SettingType.TEXT, null,
            "Postgres URL: postgres://user:pass@host:5432/db or jdbc:postgresql://host:5432/db (environment DATABASE_URL wins)");
    public static final Setting SOURCE_USER = define("sync.source.user", SettingType.TEXT, null, "Postgres user (PGUSER wins)");
    public static final Setting SOURCE_PASSWORD = secret("sync.source.password",
            "Postgres password (PGPASSWORD wins); never logged");
    public static final Setting SOURCE_POOL_SIZE = define("sync.source.pool-size", SettingType.POSITIVE, "4",
            "Connections to Postgres");
    // --- target: Turso / libSQL (environment TURSO_DATABASE_URL, TURSO_AUTH_TOKEN win) ---
    public static final Setting TARGET_URL = define("sync.target.url", SettingType.TEXT, "file:data/pg-turso-sync.db",
            "file:PATH (local libSQL/SQLite file), libsql://HOST, https://HOST or http://HOST:PORT (TURSO_DATABASE_URL wins)");
    public static final Setting TARGET_AUTH_TOKEN = secret("sync.target.auth-token",
            "Turso database token (TURSO_AUTH_TOKEN wins); never logged");
    public static final Setting TARGET_POOL_SIZE = define("sync.target.pool-size", SettingType.POSITIVE, "8",
            "Connections to a Turso server (a file target always uses one)");
    public static final Setting MAX_IN_FLIGHT = number("sync.target.max-in-flight", "8", 1, 64,
            "Pages written at once to a Turso server (1 to 64; a file target always writes one), the checkpoint still moving in page order");
    // --- defaults for every table ---
    public static final Setting SCHEDULE = define("sync.schedule", SettingType.CRON, "0/10 * * * * ?",
            "Quartz cron of each table's passes (a table's schedule parameter overrides it)");
    public static final Setting BATCH_SIZE = define("sync.batch-size", SettingType.POSITIVE, "5000",
            "Rows per page, read, transformed and written together (a table's batchSize overrides it)");
    public static final Setting NUMERIC = choice("sync.types.numeric", "text",
            "numeric columns as exact text, or as real (floating point)", "text", "real");
    public static final Setting MAX_VALUE_BYTES = define("sync.max-value-bytes", SettingType.NON_NEGATIVE, "16777216",
            "Largest text or bytea value copied; a row with a larger one is dead-lettered");
    public static final Setting DEAD_LETTER_URI = define("sync.dead-letter.uri", SettingType.TEXT, null,
            "Camel endpoint each dead letter is also sent to, as JSON (e.g. file:failed-rows, log:dead-letters)");
    // --- late commits ---
    public static final Setting HORIZON_ENABLED = define("sync.horizon.enabled", SettingType.BOOLEAN, "true",
            "Read only rows older than the oldest open Postgres transaction, so late commits are never skipped");
    public static final Setting HORIZON_SAFETY_LAG = define("sync.horizon.safety-lag-ms", SettingType.NON_NEGATIVE, "0",
            "Extra margin for cursors set by application clocks: clock skew plus the longest transaction");
    public static final Setting HORIZON_FALLBACK_LAG = define("sync.horizon.fallback-lag-ms", SettingType.NON_NEGATIVE,
            "300000", "Lag used instead when the Postgres role cannot see other sessions' transactions (no pg_read_all_stats)");
    public static final Setting HORIZON_TIME_ZONE = define("sync.horizon.time-zone", SettingType.TEXT, null,
            "Zone of the writers' sessions, in which now() fills timestamp (without time zone) cursors (default: the database's own TimeZone)");
    // --- retries of a pass that meets an outage ---
    public static final Setting RETRY_MAX_ATTEMPTS = define("sync.retry.max-attempts", SettingType.NON_NEGATIVE, "5",
            "Retries of a pass that meets an outage before it gives up until its next schedule");
    public static final Setting RETRY_INITIAL_DELAY = define("sync.retry.initial-delay-ms", SettingType.NON_NEGATIVE, "1000",
            "First pause before a retry, doubled per retry with jitter");
    public static final Setting RETRY_MAX_DELAY = define("sync.retry.max-delay-ms", SettingType.NON_NEGATIVE, "30000",
            "Longest pause between retries");
    // --- progress ---
    public static final Setting PROGRESS_INTERVAL = define("sync.progress.interval-ms", SettingType.NON_NEGATIVE, "10000",
            "A pass running longer than this logs a progress line this often (0: never)");
    // --- verify and hard-delete reconciliation ---
    public static final Setting VERIFY_CHUNK_SIZE = define("sync.verify.chunk-size", SettingType.POSITIVE, "10000",
            "verify: rows per chunk read from each side, in key order");
    public static final Setting VERIFY_EXAMPLES = define("sync.verify.examples", SettingType.POSITIVE, "10",
            "verify: example keys listed per kind of difference");
    public static final Setting RECONCILE_ENABLED = define("sync.reconcile.enabled", SettingType.BOOLEAN, "false",
            "Hard-delete reconciliation on its schedule in run mode");
    public static final Setting RECONCILE_SCHEDULE = define("sync.reconcile.schedule", SettingType.CRON, "0 0/5 * * * ?",
            "Quartz cron of the reconciliation runs");
    public static final Setting RECONCILE_TABLES = define("sync.reconcile.tables", SettingType.TEXT, "*",
            "Tables to reconcile, comma-separated route or table names; * is every table");
    public static final Setting RECONCILE_CHUNK_SIZE = define("sync.reconcile.chunk-size", SettingType.POSITIVE, "10000",
            "Keys per reconciliation chunk, compared by count and hash");
    public static final Setting RECONCILE_MAX_CHUNKS = define("sync.reconcile.max-chunks", SettingType.POSITIVE, "10",
            "Chunks per table and reconciliation run; the next run continues where this one stopped");
    // --- event-driven mode: the change stream of the tables in mode cdc ---
    public static final Setting CDC_SLOT = define("sync.cdc.slot", SettingType.TEXT, "pgturso",
            "Logical replication slot the cdc tables stream from (lowercase letters, digits, _), created at the first start");
    public static final Setting CDC_PUBLICATION = define("sync.cdc.publication", SettingType.TEXT, "pgturso",
            "Publication naming the cdc tables, created (or completed) at start when the role may");
    public static final Setting CDC_GROUP_MAX_CHANGES = number("sync.cdc.group-max-changes", "5000", 0, 1_000_000,
            "Small transactions applied together in one target transaction, up to this many changes (0: one at a time)");
    public static final Setting CDC_GROUP_MAX_WAIT = number("sync.cdc.group-max-wait-ms", "50", 0, 4_000,
            "How long a group of small transactions waits for more before it is applied");
    public static final Setting CDC_MAX_TRANSACTION_CHANGES = number("sync.cdc.max-transaction-changes", "10000", 1, 1_000_000,
            "A larger transaction is applied in parts of this many changes (memory stays bounded; see README)");
    public static final Setting CDC_HEARTBEAT_INTERVAL = define("sync.cdc.heartbeat-interval-ms", SettingType.NON_NEGATIVE,
            "60000", "A heartbeat written into Postgres' WAL this often moves the slot on over a quiet database (0: none)");
    // --- health and metrics over HTTP (run mode only) ---
    public static final Setting HTTP_ENABLED = define("sync.http.enabled", SettingType.BOOLEAN, "true",
            "In run mode, serve health (/observe/health) and Prometheus metrics (/observe/metrics) over HTTP");
    public static final Setting HTTP_PORT = define("sync.http.port", SettingType.PORT, "9876",
            "Port of the health and metrics endpoints");
    public static final Setting HEALTH_MAX_LAG = define("sync.health.max-lag-ms", SettingType.NON_NEGATIVE, "0",
            "A table is DOWN when its last successful pass started longer ago than this (0: no limit)");
    // --- several processes sharing the tables (run mode): Quartz's clustered job store in Postgres ---
    public static final Setting CLUSTER_ENABLED = define("sync.cluster.enabled", SettingType.BOOLEAN, "false",
            "Share the tables with the other processes that set it (run only; once, plan and status never join)");
    public static final Setting CLUSTER_URL = define("sync.cluster.url", SettingType.TEXT, null,
            "Postgres where Quartz keeps its tables, on a connection that writes (default: the source's URL)");
    public static final Setting CLUSTER_USER = define("sync.cluster.user", SettingType.TEXT, null,
            "Login of the cluster connection (default: the source's)");
    public static final Setting CLUSTER_PASSWORD = secret("sync.cluster.password",
            "Password of the cluster connection (default: the source's); never logged");
    public static final Setting CLUSTER_SCHEMA = define("sync.cluster.schema", SettingType.NAME, "pgturso_quartz",
            "Schema of Quartz's tables, created on the first start");
    public static final Setting CLUSTER_CHECKIN = number("sync.cluster.checkin-interval-ms", "5000", 500, Long.MAX_VALUE,
            "How often each process checks in (500 or more); a process silent for this plus 7.5 s is taken for dead");

    // --- a database per tenant: tables with fan-out, sync.target.url naming {tenant} ---
    public static final Setting FAN_OUT_CONTROL_URL = define("sync.fan-out.control-url", SettingType.TEXT, null,
            "Database of the sync's state and of the tables without fan-out, when sync.target.url names {tenant} (default: that URL with {tenant} as pgturso-control)");
    public static final Setting FAN_OUT_MAX_OPEN = number("sync.fan-out.max-open", "1000", 1, 100_000,
            "Tenant databases kept open at most (the least recently used is closed first); a file holds 3 file descriptors while open");
    public static final Setting FAN_OUT_IDLE_MS = define("sync.fan-out.idle-close-ms", SettingType.NON_NEGATIVE, "300000",
            "A tenant database unused this long is closed (0: only when more than sync.fan-out.max-open are open)");
    public static final Setting FAN_OUT_BATCH_SIZE = number("sync.fan-out.batch-size", "20000", 1, 100_000,
            "Rows per page of a table with fan-out that sets no batchSize (each tenant's part of a page is written in one transaction)");
    public static final Setting FAN_OUT_WRITERS = number("sync.fan-out.writers", "2", 1, 64,
            "Tenant databases a page, or an exchange of the change stream, is written into at once (each tenant's part is its own transaction; the checkpoint or stream position waits for them all)");
    public static final Setting FAN_OUT_ORG = define("sync.fan-out.org", SettingType.TEXT, null,
            "Turso organization where new tenant databases are created through the Platform API");
    public static final Setting FAN_OUT_GROUP = define("sync.fan-out.group", SettingType.TEXT, null,
            "Turso group of new tenant databases (TURSO_AUTH_TOKEN, a group token, opens every database of it)");
    public static final Setting FAN_OUT_SEED = define("sync.fan-out.seed", SettingType.TEXT, null,
            "Turso database each new tenant database starts as a copy of (the Platform API's seed), e.g. one holding your indexes");
    public static final Setting FAN_OUT_API_TOKEN = secret("sync.fan-out.api-token",
            "Turso Platform API token that creates tenant databases (TURSO_API_TOKEN wins); never logged");
    public static final Setting FAN_OUT_API_URL = define("sync.fan-out.api-url", SettingType.TEXT, "https://api.turso.tech",
            "Base URL of the Turso Platform API");

    private Settings() {
    }

    /** Declares a setting; the one place its name, type, default and doc live. */
    public static Setting define(String name, SettingType type, String defaultValue, String doc) {
        long min = type == SettingType.POSITIVE ? 1 : 0;
        return add(new Setting(name, type, defaultValue, doc, List.of(), min, Long.MAX_VALUE, false));
    }

    /** Declares a whole-number setting of {@code min} to {@code max}. */
    public static Setting number(String name, String defaultValue, long min, long max, String doc) {
        return add(new Setting(name, min > 0 ? SettingType.POSITIVE : SettingType.NON_NEGATIVE, defaultValue, doc, List.of(), min,
                max, false));
    }

    /** Declares a setting whose value is one of {@code choices}. */
    public static Setting choice(String name, String defaultValue, String doc, String... choices) {
        return add(new Setting(name, SettingType.CHOICE, defaultValue, doc, Arrays.asList(choices), 0, 0, false));
    }

    /** Declares a secret: no default, never shown, never written into a shipped file. */
    public static Setting secret(String name, String doc) {
        return add(new Setting(name, SettingType.TEXT, null, doc, List.of(), 0, 0, true));
    }

    private static synchronized Setting add(Setting setting) {
        if (ALL.putIfAbsent(setting.name(), setting) != null) {
            throw new IllegalStateException("Setting " + setting.name() + " is declared twice");
        }
        return setting;
    }

    /** Every declared setting, in declaration order. */
    public static synchronized Collection<Setting> all() {
        return Collections.unmodifiableCollection(List.copyOf(ALL.values()));
    }

    /** The setting of this name, or null. */
    public static synchronized Setting named(String name) {
        return ALL.get(name);
    }
}
