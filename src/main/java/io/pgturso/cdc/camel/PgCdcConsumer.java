package io.pgturso.cdc.camel;

import io.pgturso.cdc.ChangeStreamReader;
import io.pgturso.cdc.Delivery;
import io.pgturso.cdc.PgTransaction;
import io.pgturso.cdc.ReaderOptions;
import io.pgturso.cdc.StreamProgress;
import io.pgturso.cdc.pgoutput.Lsn;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Reads the slot on a thread of its own and sends each {@link Delivery} as one exchange, waiting for it. The exchange's
 * completion (a Synchronization) reports the outcome: completed, its position may be confirmed; failed (or marked for
 * rollback), nothing more is confirmed and the reader receives it again after a backoff.
 */
public class PgCdcConsumer extends DefaultConsumer {
    private final PgCdcEndpoint endpoint;
    private ChangeStreamReader reader;
    private ExecutorService thread;
    private ScheduledExecutorService schedule;

    PgCdcConsumer(PgCdcEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ReaderOptions options = endpoint.readerOptions();
        reader = new ChangeStreamReader(endpoint.cdcConnections(), options, endpoint.firstPosition(), this::send);
        var executors = endpoint.getCamelContext().getExecutorServiceManager();
        thread = executors.newSingleThreadExecutor(this, "pgcdc-" + endpoint.getSlot());
        schedule = executors.newSingleThreadScheduledExecutor(this, "pgcdc-status-" + endpoint.getSlot());
        long status = options.stream().statusInterval().toMillis();
        schedule.scheduleWithFixedDelay(reader::keepAlive, status, status, TimeUnit.MILLISECONDS);
        long heartbeat = options.heartbeatInterval().toMillis();
        if (heartbeat > 0) {
            schedule.scheduleWithFixedDelay(reader::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        }
        thread.submit(reader);
    }

    @Override
    protected void doStop() throws Exception {
        if (reader != null) {
            reader.stop();
        }
        var executors = endpoint.getCamelContext().getExecutorServiceManager();
        if (thread != null) {
            executors.shutdownGraceful(thread, 30_000); // the exchange under way finishes, then the last status goes out
        }
        if (schedule != null) {
            executors.shutdownNow(schedule);
        }
        super.doStop();
    }

    /** Where the reader stands, or null before start. */
    StreamProgress progress() {
        ChangeStreamReader current = reader;
        return current == null ? null : current.progress();
    }

    private void send(Delivery delivery) {
        Exchange exchange = createExchange(false);
        try {
            headers(exchange.getIn(), delivery);
            exchange.getIn().setBody(delivery.body());
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onComplete(Exchange done) {
                    if (done.isRollbackOnly()) {
                        delivery.failed(new IllegalStateException("the exchange was marked for rollback"));
                    } else {
                        delivery.completed();
                    }
                }

                @Override
                public void onFailure(Exchange failed) {
                    delivery.failed(failed.getException());
                }
            });
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                delivery.failed(exchange.getException());
                getExceptionHandler().handleException("Change stream exchange failed; it is received again",
                        exchange, exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void headers(Message in, Delivery delivery) {
        PgTransaction last = delivery.last();
        in.setHeader(PgCdcConstants.LSN, delivery.confirmLsn());
        in.setHeader(PgCdcConstants.LSN_TEXT, Lsn.format(delivery.confirmLsn()));
        in.setHeader(PgCdcConstants.COMMIT_LSN, last.commitLsn());
        in.setHeader(PgCdcConstants.COMMIT_TIME, last.commitTime());
        in.setHeader(PgCdcConstants.XID, last.xid());
        in.setHeader(PgCdcConstants.PART, last.part());
        in.setHeader(PgCdcConstants.LAST_PART, last.lastPart());
        in.setHeader(PgCdcConstants.TRANSACTIONS, delivery.transactions().size());
        in.setHeader(PgCdcConstants.CHANGES, delivery.changeCount());
        in.setHeader(PgCdcConstants.SLOT, endpoint.getSlot());
    }
}
