package io.pgturso.pass;

import io.pgturso.tenant.TenantKeys;
import java.util.List;

/**
 * A page of a table with fan-out, split by tenant database: its parts, and the key-index entries to forget once every
 * part is written (the databases its rows have left).
 */
record TenantPage(List<TenantPart> parts, List<TenantKeys.Entry> left) {
}
