package io.pgturso.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tenant values become valid Turso database names (and file names), and two values never share one. */
class TenantNamesTest {
    /** Turso's database names: lowercase letters, digits and dashes, neither first nor last a dash. */
    private static final String VALID = "[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?";

    @Test
    void a_value_that_is_a_valid_name_already_is_kept() {
        assertThat(List.of("acme", "tenant-42", "7")).allSatisfy(v -> assertThat(TenantNames.databaseName(v)).isEqualTo(v));
    }

    @Test
    void any_other_value_becomes_a_readable_slug_and_a_hash() {
        assertThat(TenantNames.databaseName("Umbrella Corp")).matches("umbrella-corp--[0-9a-f]{12}");
        assertThat(TenantNames.databaseName("ACME")).matches("acme--[0-9a-f]{12}").isNotEqualTo("acme");
        assertThat(TenantNames.databaseName("")).matches("t--[0-9a-f]{12}");
        assertThat(TenantNames.databaseName("--")).matches("t--[0-9a-f]{12}");
        assertThat(TenantNames.databaseName("a very long tenant name that goes on and on")).matches("a-very-long-tenant--[0-9a-f]{12}");
        assertThat(TenantNames.databaseName("pgturso-control")).as("never the control database").startsWith("pgturso-control--");
        assertThat(TenantNames.databaseName("münchen gmbh")).matches("m-nchen-gmbh--[0-9a-f]{12}");
    }

    @Test
    void random_values_all_get_valid_and_distinct_names() {
        Random random = new Random(42);
        String alphabet = "abcXYZ019- _.-/é";
        Map<String, String> byName = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String name = TenantNames.databaseName(value.toString());
            assertThat(name).matches(VALID);
            assertThat(name + "-myorg").as("fits a host name label").hasSizeLessThanOrEqualTo(63);
            String before = byName.putIfAbsent(name, value.toString());
            assertThat(before == null || before.equals(value.toString())).as(name + " for '" + before + "' and '" + value + "'").isTrue();
        }
    }
}
