/**
 * Where the change stream meets the rest of the sync: the cdc tables' changes mapped with their {@code TableSpec},
 * type mapping, row hook and dead letters ({@link io.pgturso.cdc.apply.ChangeMapper}), applied one Postgres
 * transaction (or group) per target transaction with the slot position stored in it
 * ({@link io.pgturso.cdc.apply.ChangeWriter}), the copies from the stream's snapshots
 * ({@link io.pgturso.cdc.apply.TableCopies}), the one reader of the slot ({@link io.pgturso.cdc.apply.SlotLock}) and
 * the start that ties them together ({@link io.pgturso.cdc.apply.CdcStream}). The rooms below it ({@code cdc},
 * {@code cdc.pgoutput}, {@code cdc.camel}) know nothing of the sync.
 */
package io.pgturso.cdc.apply;
