package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgturso.config.ClusterSettings;
import io.pgturso.config.PostgresUrl;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.component.quartz.StatefulCamelJob;
import org.junit.jupiter.api.Test;
import org.quartz.DisallowConcurrentExecution;

/** sync.cluster.* defaults, checks, and the Quartz pieces clustering relies on. */
class ClusterSettingsTest {
    private static final PostgresUrl SOURCE = PostgresUrl.parse("postgres://app:secret@db:5432/shop", null, null);

    @Test
    void left_out_the_cluster_is_off_and_uses_the_source_database() {
        ClusterSettings settings = ClusterSettings.read(key -> Optional.empty(), SOURCE);

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.database()).isEqualTo(SOURCE);
        assertThat(settings.schema()).isEqualTo("pgturso_quartz");
        assertThat(settings.checkinIntervalMillis()).isEqualTo(5000);
    }

    @Test
    void a_connection_of_its_own_takes_the_source_credentials_unless_given() {
        Map<String, String> p = Map.of("sync.cluster.enabled", "true", "sync.cluster.url", "jdbc:postgresql://ops:5432/scheduler",
                "sync.cluster.user", "quartz", "sync.cluster.schema", "sync_cluster", "sync.cluster.checkin-interval-ms", "2000");
        ClusterSettings settings = ClusterSettings.read(key -> Optional.ofNullable(p.get(key)), SOURCE);

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.database().jdbcUrl()).contains("//ops:5432/scheduler");
        assertThat(settings.database().user()).isEqualTo("quartz");
        assertThat(settings.database().password()).isEqualTo("secret");
        assertThat(settings.schema()).isEqualTo("sync_cluster");
        assertThat(settings.checkinIntervalMillis()).isEqualTo(2000);
    }

    @Test
    void bad_values_are_named() {
        assertThatThrownBy(() -> ClusterSettings.read(key -> Optional.ofNullable(Map.of("sync.cluster.enabled", "yes").get(key)), SOURCE))
                .hasMessageContaining("sync.cluster.enabled must be true or false (got 'yes')");
        assertThatThrownBy(() -> ClusterSettings.read(key -> Optional.ofNullable(Map.of("sync.cluster.schema", "Quartz; drop").get(key)), SOURCE))
                .hasMessageContaining("sync.cluster.schema must be a lower-case Postgres name");
        assertThatThrownBy(() -> ClusterSettings.read(key -> Optional.ofNullable(Map.of("sync.cluster.checkin-interval-ms", "10").get(key)), SOURCE))
                .hasMessageContaining("sync.cluster.checkin-interval-ms must be a whole number of 500 or more (got '10')");
    }

    @Test
    void the_ddl_is_quartz_own_script_without_its_drops() {
        assertThat(QuartzSchema.statements()).hasSizeGreaterThan(20)
                .filteredOn(s -> s.startsWith("CREATE TABLE")).hasSize(11)
                .anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE QRTZ_LOCKS"));
        assertThat(QuartzSchema.statements()).noneMatch(s -> s.toUpperCase().contains("DROP"));
    }

    @Test
    void stateful_quartz_jobs_never_run_concurrently_which_a_clustered_store_enforces_across_processes() {
        assertThat(StatefulCamelJob.class.isAnnotationPresent(DisallowConcurrentExecution.class)).isTrue();
    }
}
