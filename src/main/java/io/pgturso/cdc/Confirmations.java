package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Which stream position may be confirmed to Postgres: that of the last delivery completed with every delivery before
 * it completed too. Positions with nothing to apply (empty transactions, keepalives) queue behind the deliveries
 * before them. One failed delivery stops all confirming until the stream restarts from the confirmed position.
 */
final class Confirmations {

    /** One delivery awaiting its outcome, or a position passed with nothing to apply. */
    static final class Ticket {
        private final long lsn;
        private final long generation;
        private final boolean delivery;
        private boolean done;

        private Ticket(long lsn, long generation, boolean delivery) {
            this.lsn = lsn;
            this.generation = generation;
            this.delivery = delivery;
            this.done = !delivery;
        }
    }

    private final Deque<Ticket> queue = new ArrayDeque<>();
    private long generation;
    private long confirmed;
    private Throwable failure;

    /** A delivery about to go out that, once completed, confirms {@code lsn} ({@link Lsn#NONE}: nothing of its own). */
    synchronized Ticket expect(long lsn) {
        Ticket ticket = new Ticket(lsn, generation, true);
        queue.addLast(ticket);
        return ticket;
    }

    /** Everything up to {@code lsn} has been received and needs nothing applied beyond the deliveries before it. */
    synchronized void passed(long lsn) {
        if (failure != null || lsn == Lsn.NONE) {
            return;
        }
        if (queue.isEmpty()) {
            advance(lsn);
        } else if (!queue.peekLast().delivery) {
            Ticket last = queue.pollLast();
            queue.addLast(new Ticket(max(last.lsn, lsn), generation, false));
        } else {
            queue.addLast(new Ticket(lsn, generation, false));
        }
    }

    synchronized void completed(Ticket ticket) {
        if (ticket.generation != generation || failure != null) {
            return; // from before a restart, or after a failure: Postgres sends it again
        }
        ticket.done = true;
        while (!queue.isEmpty() && queue.peekFirst().done) {
            advance(queue.pollFirst().lsn);
        }
        notifyAll();
    }

    synchronized void failed(Ticket ticket, Throwable cause) {
        if (ticket.generation == generation && failure == null) {
            failure = cause == null ? new IllegalStateException("delivery failed") : cause;
            notifyAll();
        }
    }

    /** The last position that may be confirmed. */
    synchronized long confirmed() {
        return confirmed;
    }

    /** The failure that stopped confirming, or null. */
    synchronized Throwable failure() {
        return failure;
    }

    /** Deliveries out whose outcome is not known yet. */
    synchronized int inFlight() {
        return (int) queue.stream().filter(t -> t.delivery && !t.done).count();
    }

    /** Waits (at most {@code millis}) until no delivery is out or one failed; true when none is out. */
    synchronized boolean awaitNoneInFlight(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (inFlight() > 0 && failure == null) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return failure == null;
    }

    /** A new stream: outcomes of earlier deliveries no longer count; confirming starts again from the confirmed position. */
    synchronized void restart(long startLsn) {
        generation++;
        queue.clear();
        failure = null;
        advance(startLsn);
        notifyAll();
    }

    /** Wakes waiters (the reader is stopping). */
    synchronized void wake() {
        notifyAll();
    }

    private void advance(long lsn) {
        confirmed = max(confirmed, lsn);
    }

    private static long max(long a, long b) {
        return Lsn.compare(a, b) >= 0 ? a : b;
    }
}
