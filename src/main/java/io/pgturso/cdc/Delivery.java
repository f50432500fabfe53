package io.pgturso.cdc;

import io.pgturso.cdc.pgoutput.Lsn;
import java.util.List;

/**
 * What the reader hands on at once: one transaction (or one part of a large one), or a group of whole small ones.
 * Whoever applies it reports {@link #completed()} once the target holds it (with its position), or {@link #failed};
 * the position is confirmed to Postgres only after that, and after every earlier delivery completed.
 */
public final class Delivery {
    private final List<PgTransaction> transactions;
    private final boolean grouped;
    private final Confirmations confirmations;
    private final Confirmations.Ticket ticket;
    private final StreamProgress progress;

    Delivery(List<PgTransaction> transactions, boolean grouped, Confirmations confirmations, StreamProgress progress) {
        this.transactions = List.copyOf(transactions);
        this.grouped = grouped;
        this.confirmations = confirmations;
        this.ticket = confirmations.expect(last().confirmLsn());
        this.progress = progress;
    }

    /** The transactions, in commit order (one unless grouped). */
    public List<PgTransaction> transactions() {
        return transactions;
    }

    /** Several whole transactions for one target transaction. */
    public boolean grouped() {
        return grouped;
    }

    /** The body of an exchange: the {@link PgTransaction}, or the {@code List<PgTransaction>} of a group. */
    public Object body() {
        return grouped ? transactions : transactions.get(0);
    }

    /** The last (or only) transaction. */
    public PgTransaction last() {
        return transactions.get(transactions.size() - 1);
    }

    /** The position to store with the rows: the end of the last transaction; {@link Lsn#NONE} for a part before the last. */
    public long confirmLsn() {
        return last().confirmLsn();
    }

    /** Changes in all its transactions. */
    public int changeCount() {
        return transactions.stream().mapToInt(t -> t.changes().size()).sum();
    }

    /** The target holds it: its position may be confirmed once every earlier delivery completed too. */
    public void completed() {
        confirmations.completed(ticket);
        progress.applied(last());
        progress.confirmed(confirmations.confirmed());
    }

    /** Not applied: nothing more is confirmed, and the reader receives it again after reconnecting. */
    public void failed(Throwable cause) {
        confirmations.failed(ticket, cause);
        progress.failed("delivery of " + last() + " failed: " + cause);
    }
}
