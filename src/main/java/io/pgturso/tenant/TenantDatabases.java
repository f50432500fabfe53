package io.pgturso.tenant;

import io.pgturso.config.FanOutSettings;
import io.pgturso.source.TableSpec;
import io.pgturso.target.CheckpointStore;
import io.pgturso.target.SingleDatabase;
import io.pgturso.target.TargetKind;
import io.pgturso.target.TargetSchema;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The tenant databases: created when a tenant first appears (a file by opening it, a Turso database through the
 * Platform API), registered once they hold every fan-out table, and kept open in a bounded set: at most
 * {@code sync.fan-out.max-open} at once, the least recently used closed first, and any unused for
 * {@code sync.fan-out.idle-close-ms} closed as soon as another is opened. A file tenant is one connection (no pool,
 * no thread); a Turso tenant is the driver's requests over the one shared HTTP client.
 */
public class TenantDatabases implements AutoCloseable {
    private final FanOutSettings settings;
    private final String authToken;
    private final TenantRegistry registry;
    private final TursoPlatform platform;
    private final String requestListener;
    /** Open databases, least recently used first (guarded by this). */
    private final LinkedHashMap<String, Open> open = new LinkedHashMap<>(64, 0.75f, true);
    /** {@code database|table|identity} of every table made or checked in a tenant's database by this process: checked once, not at each reopen. */
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    /** New tenant files are copies of one made with every fan-out table (files only). */
    private final TenantFileTemplate fileTemplate = new TenantFileTemplate(file -> TargetKind.of(
            io.pgturso.config.TargetUrl.parse("file:" + file.toAbsolutePath(), file.toAbsolutePath().getParent())).single(null, 30, null));
    private long opened;
    /**
     * Files copied from the template by this process and not yet written: their first write skips SQLite's sync of the
     * new WAL's header (an fsync of 1 to 3 ms a file, a tenant's first commit). It protects nothing there: the commit
     * after it is not synced either ({@code synchronous = NORMAL}), a killed process loses neither (the kernel holds
     * both), and until the first checkpoint (synced, as the sync is back to NORMAL by then) a power cut may drop that
     * commit with or without it.
     */
    private final Set<String> unsynced = ConcurrentHashMap.newKeySet();

    /** {@code settings} null: no tenant databases (sync.target.url names no {tenant}); using one is then refused. */
    public TenantDatabases(FanOutSettings settings, String authToken, TenantRegistry registry, TursoPlatform platform,
            String requestListener) {
        this.settings = settings;
        this.authToken = authToken;
        this.registry = registry;
        this.platform = platform;
        this.requestListener = requestListener;
    }

    /** One open tenant database: who uses it now, when it was last used, its statements kept prepared. */
    private static final class Open {
        final String database;
        final SingleDatabase db;
        /** A file's statements kept prepared (null: none kept), used by one borrower at a time as the connection is. */
        final PreparedStatements statements;
        int users;
        long lastUsed;

        Open(String database, SingleDatabase db, boolean keepStatements) {
            this.database = database;
            this.db = db;
            this.statements = keepStatements ? new PreparedStatements() : null;
        }
    }

    /** Whether tenants are configured at all. */
    public boolean configured() {
        return settings != null;
    }

    /** The kind of target every tenant database is (how many rows go per statement). */
    public TargetKind kind() {
        return TargetKind.of(settings().template().urlFor("tenant"));
    }

    /** The database name of a tenant (its fanOut value, as Postgres text): as registered, else by {@link TenantNames}. */
    public String databaseFor(String tenant) {
        String known = registry.database(tenant);
        return known != null ? known : TenantNames.databaseName(tenant);
    }

    /** The registry of the tenant databases. */
    public TenantRegistry registry() {
        return registry;
    }

    /**
     * Makes sure the tenant's database exists, is registered and holds {@code spec}'s table as Postgres maps it now. A
     * new one is created with every fan-out table ({@code fanOutTables}), then registered. True when it was created now.
     */
    public boolean prepare(String tenant, String database, TableSpec spec, Supplier<List<TableSpec>> fanOutTables) {
        String holder = registry.tenant(database);
        boolean created = false;
        if (holder == null) {
            if (platform != null) {
                platform.create(database);
            }
            List<TableSpec> tables = fanOutTables.get();
            if (platform == null && settings().template().isFile() && fileTemplate.create(file(database), tables)) {
                tables.forEach(table -> ensured.add(ensuredId(database, table)));
                unsynced.add(database);
            } else {
                withJdbc(database, jdbc -> {
                    for (TableSpec table : tables) {
                        ensureTable(database, jdbc, table);
                    }
                    return null;
                });
            }
            registry.register(tenant, database);
            created = true;
        } else if (!holder.equals(tenant)) {
            registry.register(tenant, database);
        }
        withJdbc(database, jdbc -> ensureTable(database, jdbc, spec));
        return created;
    }

    /** Creates or extends the table in the tenant's database once per spec and process (a changed spec is checked again). */
    private Void ensureTable(String database, JdbcTemplate jdbc, TableSpec spec) {
        String id = ensuredId(database, spec);
        if (!ensured.contains(id)) {
            TargetSchema.quiet(jdbc).ensure(spec);
            ensured.add(id);
        }
        return null;
    }

    private String ensuredId(String database, TableSpec spec) {
        Identity last = lastIdentity;
        if (last == null || last.spec() != spec) {
            last = new Identity(spec, "|" + spec.targetTable() + "|" + CheckpointStore.identity(spec));
            lastIdentity = last;
        }
        return database + last.text();
    }

    /** The table part of {@link #ensuredId} of the spec last asked for: asked for each part of each page, built once. */
    private volatile Identity lastIdentity;

    private record Identity(TableSpec spec, String text) {
    }

    /** A file tenant's path. */
    private java.nio.file.Path file(String database) {
        return java.nio.file.Path.of(settings().template().urlFor(database).jdbcUrl().substring("jdbc:sqlite:".length()));
    }

    /**
     * The tenant's database as a DataSource (what a {@code tenant-sql:} step writes through): each connection is taken
     * from the bounded set when asked for and given back when closed.
     */
    public DataSource dataSource(String database) {
        settings();
        return new SingleDatabase() {
            @Override
            public Connection getConnection() throws SQLException {
                Open entry = borrow(database);
                try {
                    return lent(entry.db.getConnection(), entry, unsynced.remove(database));
                } catch (SQLException | RuntimeException e) {
                    release(entry);
                    throw e;
                }
            }

            @Override
            public void close() {
                // the bounded set closes it
            }

            @Override
            public String toString() {
                return "tenant database " + database;
            }
        };
    }

    /** Runs {@code work} on the tenant's database, open for that long. */
    public <T> T withJdbc(String database, Function<JdbcTemplate, T> work) {
        return work.apply(new JdbcTemplate(dataSource(database)));
    }

    /** Tenant databases kept open at most (sync.fan-out.max-open): a writer of parts at once writes no more at once. */
    public int maxOpen() {
        return settings().maxOpen();
    }

    /** Tenant databases open now. */
    public synchronized int openCount() {
        return open.size();
    }

    /** Tenant databases opened since the start (a high count against the tenants means max-open is too low). */
    public synchronized long openedCount() {
        return opened;
    }

    /** Closes the tenant's database if open (before it is dropped). */
    public void closeOne(String database) {
        ensured.removeIf(id -> id.startsWith(database + "|"));
        Open entry;
        synchronized (this) {
            entry = open.remove(database);
        }
        if (entry != null) {
            closeOpen(entry);
        }
    }

    /**
     * Drops a tenant's database: closes it, deletes it (the file, or the Turso database through the Platform API) and
     * forgets it in the registry. Only ever asked for by the {@code drop-tenant} command.
     */
    public void drop(String database) {
        closeOne(database);
        if (platform != null) {
            platform.delete(database);
        } else {
            String file = file(database).toString();
            try {
                for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                    java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + suffix));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
            }
        }
        registry.remove(database);
    }

    private Open borrow(String database) {
        List<Open> toClose = new ArrayList<>();
        Open entry;
        synchronized (this) {
            entry = open.get(database);
            if (entry == null) {
                entry = new Open(database, TargetKind.of(settings().template().urlFor(database)).single(authToken, 30,
                        requestListener), settings().template().isFile());
                open.put(database, entry);
                opened++;
            }
            entry.users++;
            entry.lastUsed = System.nanoTime();
            evict(toClose);
        }
        toClose.forEach(TenantDatabases::closeOpen);
        return entry;
    }

    private synchronized void release(Open entry) {
        entry.users--;
        entry.lastUsed = System.nanoTime();
    }

    /** Takes out of the set the least recently used databases over the limit, and those idle too long (in use: kept). */
    private void evict(List<Open> toClose) {
        long idleBefore = settings.idleClose().isZero() ? Long.MIN_VALUE : System.nanoTime() - settings.idleClose().toNanos();
        for (Iterator<Open> lru = open.values().iterator(); lru.hasNext(); ) {
            Open o = lru.next();
            boolean over = open.size() > settings.maxOpen();
            if (!over && o.lastUsed >= idleBefore) {
                break;
            }
            if (o.users == 0) {
                lru.remove();
                toClose.add(o);
            }
        }
    }

    /**
     * A connection whose {@code close()} also gives the database back to the set. {@code firstWrite}: a new file's
     * first loan, which runs with {@code synchronous = OFF} (see {@link #unsynced}) and sets it back to NORMAL when it
     * ends, before any checkpoint can run.
     */
    private Connection lent(Connection connection, Open entry, boolean firstWrite) {
        boolean[] closed = new boolean[1];
        boolean syncOff = firstWrite && syncOff(connection);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (entry.statements != null && method.getName().equals("prepareStatement") && args.length == 1) {
                        return entry.statements.prepare(connection, (String) args[0]);
                    }
                    if (method.getName().equals("close")) {
                        if (!closed[0]) {
                            closed[0] = true;
                            try {
                                if (syncOff) {
                                    syncedAgain(connection, entry);
                                }
                            } finally {
                                try {
                                    connection.close();
                                } finally {
                                    release(entry);
                                }
                            }
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Sets {@code synchronous = OFF} for a new file's first loan; false when it could not (the write is then synced as any). */
    private static boolean syncOff(Connection connection) {
        try {
            return connection.getAutoCommit() && synchronous(connection, "OFF");
        } catch (SQLException e) {
            return false;
        }
    }

    /** Sets the connection's {@code synchronous} (outside a transaction only: SQLite refuses it inside one). */
    private static boolean synchronous(Connection connection, String level) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA synchronous = " + level);
        }
        return true;
    }

    /**
     * A new file's first loan ends: back to {@code synchronous = NORMAL} (a transaction left open is rolled back first,
     * as giving the connection back would). If that fails the file's connection is closed (the next one opens with NORMAL).
     */
    private void syncedAgain(Connection connection, Open entry) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            synchronous(connection, "NORMAL");
        } catch (SQLException | RuntimeException e) {
            if (entry.statements != null) {
                entry.statements.close();
            }
            entry.db.close();
        }
    }

    /** The target URL template naming {@code {tenant}}, as printed (credentials redacted). */
    public String template() {
        return settings().template().toString();
    }

    private FanOutSettings settings() {
        if (settings == null) {
            throw new io.pgturso.config.ConfigException("A table has fanOut but sync.target.url names no {tenant}: set it to a "
                    + "template such as file:data/tenants/{tenant}.db or libsql://{tenant}-myorg.turso.io");
        }
        return settings;
    }

    /** Closes every open tenant database. */
    @Override
    public void close() {
        List<Open> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(TenantDatabases::closeOpen);
    }

    /** Closes an open database taken out of the set: its kept statements first (their connection is idle by then). */
    private static void closeOpen(Open o) {
        if (o.statements != null) {
            o.statements.close();
        }
        o.db.close();
    }
}
