/**
 * Postgres' built-in {@code pgoutput} logical decoding output, protocol version 1, read from bytes: no JDBC, no Camel.
 *
 * <p>{@link io.pgturso.cdc.pgoutput.PgOutputDecoder} turns each message of the replication stream (one
 * {@link java.nio.ByteBuffer} per XLogData payload) into an immutable {@link io.pgturso.cdc.pgoutput.PgOutputMessage}.
 * Row changes name their {@link io.pgturso.cdc.pgoutput.Relation}, which the decoder resolves from the Relation
 * messages Postgres sends before a table's first change on a connection and again after a schema change
 * ({@link io.pgturso.cdc.pgoutput.RelationCache}). Column values stay as Postgres sent them
 * ({@link io.pgturso.cdc.pgoutput.TupleValue}): null, unchanged TOAST value (not sent: never a NULL), text or binary,
 * so the type mapping of the polling mode can read them.
 */
package io.pgturso.cdc.pgoutput;
