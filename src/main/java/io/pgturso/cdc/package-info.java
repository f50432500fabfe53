/**
 * Postgres logical replication with the built-in {@code pgoutput} plugin: setting it up, copying the tables from a
 * snapshot consistent with the slot, and reading the stream one transaction at a time. No Camel here (see
 * {@code io.pgturso.cdc.camel} for the {@code pgcdc:} endpoint), and nothing of the app's other packages.
 *
 * <ul>
 *   <li>{@link io.pgturso.cdc.ReplicationSetup}: start-up checks with one-line fixes
 *       ({@link io.pgturso.cdc.ReplicationChecks}), the publication, the slot with its exported snapshot
 *       ({@link io.pgturso.cdc.SnapshotHandle}), slot status ({@link io.pgturso.cdc.SlotInfo}), heartbeats, take-down.</li>
 *   <li>{@link io.pgturso.cdc.LogicalStream}: one open stream, decoded ({@link io.pgturso.cdc.pgoutput}).</li>
 *   <li>{@link io.pgturso.cdc.ChangeStreamReader}: reads a stream on its thread and hands on each transaction whole
 *       ({@link io.pgturso.cdc.PgTransaction}, in bounded parts when large, or groups of small ones) as a
 *       {@link io.pgturso.cdc.Delivery}; confirms a position to Postgres only after its delivery, and all before it,
 *       completed; after a failure streams again from the confirmed position.</li>
 * </ul>
 *
 * <p>Positions (LSNs) are unsigned longs, written as Postgres writes them by {@link io.pgturso.cdc.pgoutput.Lsn}.
 * The position to store in the target, in the same transaction as the rows, is {@link io.pgturso.cdc.PgTransaction#confirmLsn()}
 * (the end of the commit record); a stream started from it sends every transaction that committed after it.
 */
package io.pgturso.cdc;
