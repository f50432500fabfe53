/**
 * The Hrana-over-HTTP protocol of libSQL servers, without JDBC: requests ({@code execute}, {@code batch} with step
 * conditions), values, results, the JSON codec and the one HTTP client.
 *
 * <p>Only {@code POST /v2/pipeline} with {@code execute} and {@code batch} requests is used, and every request stands
 * alone (baton null): the local {@code tursodb --sync-server} rejects the other request types and shares one database
 * connection between all clients, so no state may outlive a request. Arguments are positional only.
 *
 * <p>Retries ({@link io.pgturso.libsql.hrana.HranaClient#send}): a request is sent again, with exponential backoff and
 * jitter inside {@link io.pgturso.libsql.hrana.RetryPolicy}'s attempts and time budget, when the server certainly did
 * not apply it (connection refused or connect timeout, HTTP 429 or 503), or after any transient failure when the
 * caller marks it repeatable (reads, dry runs). A write that timed out or lost its connection after being sent, or got
 * HTTP 502/504, is not sent again: its outcome is unknown and the caller decides (an idempotent upsert may simply be
 * repeated).
 */
package io.pgturso.libsql.hrana;
