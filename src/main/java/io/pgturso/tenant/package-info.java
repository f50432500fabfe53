/**
 * A database per tenant: tables with fan-out write each row to its tenant's own database. The names of tenant
 * databases, the registry of those created and the key index that finds a row's old tenant (both in the control
 * database), the bounded set of open tenant databases, and Turso's Platform API that creates new ones. Serves the pass
 * and the commands; uses only target, source, transform and config.
 */
package io.pgturso.tenant;
