package io.pgturso.cdc.apply;

import io.pgturso.source.TableSpec;
import io.pgturso.tenant.TenantKeys;
import java.util.List;
import java.util.Map;

/**
 * What a change-stream exchange's tenant parts need besides their writes, by target table: the key index's entries to
 * add before any tenant database is written ({@code ahead}), those to remove once every part is in ({@code left}), the
 * entries a truncated table keeps (its others are removed), and the tenant databases to create or extend first.
 */
record TenantPlan(Map<String, List<TenantKeys.Entry>> ahead, Map<String, List<TenantKeys.Entry>> left,
        Map<String, List<TenantKeys.Entry>> truncated, List<Prepare> prepares) {

    /** A tenant's database that must exist and hold {@code spec}'s table before its part is written. */
    record Prepare(String database, String tenant, TableSpec spec) {
    }
}
