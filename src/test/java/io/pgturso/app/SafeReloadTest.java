package io.pgturso.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/** A route edit that does not parse or build leaves the running routes alone, is reported once and in health; the next good edit applies. */
@Timeout(120)
class SafeReloadTest {
    @TempDir
    Path dir;

    private SyncHarness sync;
    private CamelContext camel;
    private Path template;
    private String original;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private int rows;

    @BeforeEach
    void start() throws Exception {
        sync = SyncHarness.create(dir, TestTarget.file(dir));
        sync.pg().execute("CREATE TABLE orders (id int PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now())");
        sync.pg().execute("CREATE INDEX ON orders (updated_at, id)");
        sync.property("sync.schedule", "* * * * * ?").property("sync.horizon.enabled", "false");
        sync.table("orders", "table=orders", "cursor=updated_at");
        camel = sync.start(true).camel();
        template = dir.resolve("routes/table-sync.camel.yaml");
        original = Files.readString(template);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        assertRowsKeepSyncing();
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        sync.close();
    }

    @Test
    void a_yaml_error_is_refused_with_file_and_line_and_the_routes_keep_syncing() throws Exception {
        String broken = original.replace("              method: startPass\n", "              method: startPass\n            - broken: [\n");
        int line = lineOf(broken, "- broken: [") ;

        Files.writeString(template, broken);

        ReloadState.Failure failure = awaitFailure();
        assertThat(failure.file()).isEqualTo("table-sync.camel.yaml");
        assertThat(failure.line()).isBetween(line, line + 2);
        assertRefusedOnceAndStillSyncing(failure);
        aGoodEditApplies();
    }

    @Test
    void an_unknown_bean_is_refused_with_its_line_and_the_routes_keep_syncing() throws Exception {
        String broken = original.replace("ref: tableLocks", "ref: tableLockz");

        Files.writeString(template, broken);

        ReloadState.Failure failure = awaitFailure();
        assertThat(failure.file()).isEqualTo("table-sync.camel.yaml");
        assertThat(failure.line()).isEqualTo(lineOf(broken, "ref: tableLockz"));
        assertThat(failure.message()).contains("tableLockz");
        assertRefusedOnceAndStillSyncing(failure);
        aGoodEditApplies();
    }

    @Test
    void an_unknown_endpoint_is_refused_with_its_line_and_the_routes_keep_syncing() throws Exception {
        String broken = original.replace("uri: direct:write-page", "uri: drect:write-page");

        Files.writeString(template, broken);

        ReloadState.Failure failure = awaitFailure();
        assertThat(failure.line()).isEqualTo(lineOf(broken, "uri: drect:write-page"));
        assertThat(failure.message()).contains("drect");
        assertRefusedOnceAndStillSyncing(failure);
        aGoodEditApplies();
    }

    @Test
    void a_schedule_that_never_fires_is_refused_and_the_routes_keep_syncing() throws Exception {
        String broken = original.replace("cron: \"{{schedule}}\"", "cron: \"0 0 12 * * ? 1999\"");
        assertThat(broken).isNotEqualTo(original);

        Files.writeString(template, broken);

        ReloadState.Failure failure = awaitFailure();
        assertThat(failure.file()).isEqualTo("table-sync.camel.yaml");
        assertRefusedOnceAndStillSyncing(failure);
        aGoodEditApplies();
    }

    @Test
    void a_file_emptied_and_then_written_is_checked_once_written() throws Exception {
        String broken = original.replace("ref: tableLocks", "ref: tableLockz");

        // an editor that truncates the file and then writes it: the reload sees the empty file first
        Files.writeString(template, "");
        await().atMost(Duration.ofSeconds(30)).until(() -> logs.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains("table-sync.camel.yaml is empty: giving it")));
        Files.writeString(template, broken);

        ReloadState.Failure failure = awaitFailure();
        assertThat(failure.message()).as("refused for what was written, not as an empty file").contains("tableLockz");
        assertRefusedOnceAndStillSyncing(failure);
        aGoodEditApplies();
    }

    private ReloadState.Failure awaitFailure() {
        ReloadState state = camel.getRegistry().lookupByNameAndType("reloadState", ReloadState.class);
        return await().atMost(Duration.ofSeconds(30)).until(state::lastFailure, java.util.Optional::isPresent).orElseThrow();
    }

    private void assertRefusedOnceAndStillSyncing(ReloadState.Failure failure) {
        assertThat(((ModelCamelContext) camel).getRouteDefinition("orders")).as("the table's route is still there").isNotNull();
        assertThat(camel.getRouteController().getRouteStatus("orders").isStarted()).isTrue();
        assertRowsKeepSyncing();
        List<String> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(errors).as("one message naming file and line").singleElement().asString()
                .contains("Route files not reloaded").contains(failure.file() + " line " + failure.line());
        HealthCheck.Result health = reloadHealth().call();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m).contains(failure.file() + " line " + failure.line()));
    }

    private void aGoodEditApplies() throws Exception {
        Files.writeString(template, original.replace("method: endPass", "method: endPass\n          - setVariable:\n"
                + "              name: reloadedMarker\n              constant:\n                expression: edited"));
        ReloadState state = camel.getRegistry().lookupByNameAndType("reloadState", ReloadState.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(state.lastFailure()).isEmpty();
            assertThat(((ModelCamelContext) camel).getRouteDefinition("orders")).isNotNull();
            assertThat(((ModelCamelContext) camel).getRouteDefinition("orders").toString()).contains("reloadedMarker");
        });
        assertThat(reloadHealth().call().getState()).isEqualTo(HealthCheck.State.UP);
        assertRowsKeepSyncing();
    }

    private HealthCheck reloadHealth() {
        return HealthCheckRegistry.get(camel).getCheck("route-reload").orElseThrow();
    }

    private void assertRowsKeepSyncing() {
        rows++;
        sync.pg().update("INSERT INTO orders (id) VALUES (?)", rows);
        JdbcTemplate target = sync.target();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> target.queryForObject("SELECT count(*) FROM orders", Long.class) == rows);
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not found");
    }
}
