/**
 * The change stream as a Camel endpoint, {@code pgcdc:SLOT?publication=...}: a consumer that reads the slot on a
 * thread of its own and sends one exchange per Postgres transaction, in commit order, confirming each position to
 * Postgres only after its exchange (and every one before it) completed. See {@link io.pgturso.cdc.camel.PgCdcEndpoint}
 * for the options and {@link io.pgturso.cdc.camel.PgCdcConstants} for the headers.
 */
package io.pgturso.cdc.camel;
