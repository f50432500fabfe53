package io.pgturso.cdc.camel;

import io.pgturso.cdc.CdcConnections;
import io.pgturso.cdc.PgTransaction;
import io.pgturso.cdc.ReplicationSetup;
import io.pgturso.cdc.ReplicationSpec;
import io.pgturso.cdc.SlotInfo;
import io.pgturso.cdc.SnapshotHandle;
import io.pgturso.cdc.pgoutput.Lsn;
import io.pgturso.testing.LogicalPostgres;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database with a publication and a slot, and a Camel route {@code pgcdc:slot -> collector}: the collector keeps
 * every exchange it saw (body and headers) and fails those a test says should fail.
 */
final class CdcRouteHarness implements AutoCloseable {
    private static final AtomicInteger SLOTS = new AtomicInteger();

    final LogicalPostgres server;
    final String url;
    final JdbcTemplate pg;
    final CdcConnections connections;
    final String slot = "route_" + ProcessHandle.current().pid() + "_" + SLOTS.incrementAndGet();
    final ReplicationSetup setup;
    final long consistentLsn;
    /** Every exchange the collector saw, failed ones included, in arrival order. */
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Exchanges whose body matches fail. */
    volatile Predicate<Object> failWhen = body -> false;
    private CamelContext camel;

    /** What the collector saw of one exchange. */
    record Seen(Object body, Map<String, Object> headers, boolean failed) {
        PgTransaction transaction() {
            return (PgTransaction) body;
        }
    }

    CdcRouteHarness(LogicalPostgres server, String... ddl) {
        this.server = server;
        this.url = server.newDatabase();
        this.pg = server.jdbc(url);
        for (String statement : ddl) {
            pg.execute(statement);
        }
        this.connections = new CdcConnections(url, server.user(), server.password());
        List<String> tables = pg.queryForList("SELECT relname::text FROM pg_class WHERE relkind = 'r' "
                + "AND relnamespace = 'public'::regnamespace ORDER BY 1", String.class);
        this.setup = new ReplicationSetup(connections, new ReplicationSpec(slot, "sync_pub", tables));
        try {
            setup.requireReady();
            setup.ensurePublication();
            try (SnapshotHandle snapshot = setup.createSlot()) {
                consistentLsn = snapshot.consistentLsn();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code pgcdc:slot?publication=sync_pub&<options>} into the collector. */
    CdcRouteHarness start(String options) throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("pg", connections);
        String uri = "pgcdc:" + slot + "?publication=sync_pub&connections=#pg&startLsn=" + Lsn.format(consistentLsn)
                + "&statusInterval=300&reconnectDelay=100&maxReconnectDelay=400" + (options.isEmpty() ? "" : "&" + options);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("cdc").process(this::collect);
            }

            private void collect(Exchange exchange) {
                Object body = exchange.getIn().getBody();
                boolean fail = failWhen.test(body);
                seen.add(new Seen(body, Map.copyOf(exchange.getIn().getHeaders()), fail));
                if (fail) {
                    throw new IllegalStateException("the target is down (test)");
                }
            }
        });
        camel.start();
        return this;
    }

    void stopRoute() throws Exception {
        camel.getRouteController().stopRoute("cdc");
    }

    void startRoute() throws Exception {
        camel.getRouteController().startRoute("cdc");
    }

    PgCdcEndpoint endpoint() {
        return (PgCdcEndpoint) camel.getRoute("cdc").getEndpoint();
    }

    /** Exchanges that completed, in order. */
    List<Seen> applied() {
        return seen.stream().filter(s -> !s.failed()).toList();
    }

    /** Transactions of exchanges that completed, in order. */
    List<PgTransaction> appliedTransactions() {
        List<PgTransaction> transactions = new ArrayList<>();
        for (Seen s : applied()) {
            if (s.body() instanceof PgTransaction t) {
                transactions.add(t);
            } else {
                for (Object t : (List<?>) s.body()) {
                    transactions.add((PgTransaction) t);
                }
            }
        }
        return transactions;
    }

    SlotInfo slot() throws SQLException {
        return setup.slotInfo().orElseThrow();
    }

    /** The slot's confirmed position as Postgres has it now. */
    long confirmedInPostgres() throws SQLException {
        return slot().confirmedFlushLsn();
    }

    @Override
    public void close() throws Exception {
        if (camel != null) {
            camel.close();
        }
        // the walsender ends a moment after the stream closes
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> pg.queryForList(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ? AND NOT active",
                slot).size() == 1 || pg.queryForObject("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?",
                Long.class, slot) == 0);
    }

    /** The changes of a transaction, one line each: {@code insert orders 1}, {@code update orders 1 -> 10}, ... */
    static List<String> describe(PgTransaction transaction) {
        List<String> lines = new ArrayList<>();
        for (var change : transaction.changes()) {
            if (change instanceof io.pgturso.cdc.pgoutput.PgOutputMessage.Insert i) {
                lines.add("insert " + i.relation().name() + " " + text(i.newRow().get(0)));
            } else if (change instanceof io.pgturso.cdc.pgoutput.PgOutputMessage.Update u) {
                lines.add("update " + u.relation().name() + " " + text(u.oldIdentity().get(0)) + " -> " + text(u.newRow().get(0)));
            } else if (change instanceof io.pgturso.cdc.pgoutput.PgOutputMessage.Delete d) {
                lines.add("delete " + d.relation().name() + " " + text(d.oldIdentity().get(0)));
            } else if (change instanceof io.pgturso.cdc.pgoutput.PgOutputMessage.Truncate t) {
                lines.add("truncate " + t.relations().stream().map(r -> r.name()).toList());
            } else {
                lines.add(change.toString());
            }
        }
        return lines;
    }

    static String text(io.pgturso.cdc.pgoutput.TupleValue value) {
        return value instanceof io.pgturso.cdc.pgoutput.TupleValue.Text t ? t.text() : String.valueOf(value);
    }
}
