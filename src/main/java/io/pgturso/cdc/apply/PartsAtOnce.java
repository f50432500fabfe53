package io.pgturso.cdc.apply;

import java.sql.SQLException;
import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes the tenant parts of one exchange side by side, as a pass writes a page's (a Turso part costs round trips, not
 * CPU): at most {@code lanes} at once on the tenant writers' threads, each lane taking the next part (in the order given)
 * until none is left. The first failure stops the lanes from starting another part; the parts being written then finish
 * (commit or roll back), never interrupted, so that no thread of a failed exchange still writes a database when the
 * exchange is received again; the parts never started are left to that next attempt. Then the failure is thrown.
 */
final class PartsAtOnce {
    /** The writing of one part. */
    interface Writing<T> {
        void write(T part) throws SQLException;
    }

    private final Executor threads;
    private final int lanes;

    /** {@code lanes}: sync.fan-out.writers, but never more than the tenant databases kept open (sync.fan-out.max-open). */
    PartsAtOnce(Executor threads, int lanes) {
        this.threads = threads;
        this.lanes = Math.max(1, lanes);
    }

    /** One part after the other, on the caller's thread. */
    static PartsAtOnce oneByOne() {
        return new PartsAtOnce(Runnable::run, 1);
    }

    /** Writes every part; returns once all are written, or throws the first failure once no part is being written. */
    <T> void write(Collection<T> parts, Writing<T> writing) throws SQLException {
        int n = Math.min(lanes, parts.size());
        if (n <= 1) {
            for (T part : parts) {
                writing.write(part);
            }
            return;
        }
        Queue<T> todo = new ConcurrentLinkedQueue<>(parts);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(n);
        Runnable lane = () -> {
            try {
                T part;
                while (failure.get() == null && (part = todo.poll()) != null) {
                    try {
                        writing.write(part);
                    } catch (Throwable e) {
                        if (!failure.compareAndSet(null, e) && failure.get() != e) {
                            failure.get().addSuppressed(e);
                        }
                    }
                }
            } finally {
                done.countDown();
            }
        };
        for (int i = 0; i < n; i++) {
            try {
                threads.execute(lane);
            } catch (RejectedExecutionException stopping) {
                lane.run(); // the threads are shut down (the application stops): this thread writes what is left
            }
        }
        awaitUninterruptibly(done);
        Throwable first = failure.get();
        if (first instanceof SQLException e) {
            throw e;
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new SQLException("a tenant database's part failed: " + first, first);
        }
        if (!todo.isEmpty()) {
            throw new IllegalStateException("tenant parts left unwritten without a failure"); // never: the control commit must not follow
        }
    }

    /** Waits for the lanes, even when interrupted (a lane still writing would outlive the exchange); the interrupt is kept. */
    private static void awaitUninterruptibly(CountDownLatch done) {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
