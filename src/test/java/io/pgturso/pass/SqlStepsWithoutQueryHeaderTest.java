package io.pgturso.pass;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.deadletter.ReplayResult;
import io.pgturso.route.RouteNames;
import io.pgturso.testing.SyncHarness;
import io.pgturso.testing.TestTarget;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code sql:} step runs the statement its bean step chose without the {@code CamelSqlQuery} header, which
 * camel-sql stops reading in Camel 4.23 (CAMEL-24292): the header is removed before each step, as such a camel-sql
 * would ignore it, and every kind of step must still do its work.
 */
@Timeout(120)
class SqlStepsWithoutQueryHeaderTest {
    @TempDir
    Path dir;

    /** Removes the query header before each sql: step and notes the steps that were handed one. */
    static final class DropQueryHeader extends EventNotifierSupport {
        final Set<String> stepsGivenTheHeader = ConcurrentHashMap.newKeySet();
        final Set<String> stepsRun = ConcurrentHashMap.newKeySet();

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeSendingEvent sending && sending.getEndpoint() instanceof SqlEndpoint sql) {
                stepsRun.add(sql.getQuery());
                if (sending.getExchange().getMessage().removeHeader(SqlConstants.SQL_QUERY) != null) {
                    stepsGivenTheHeader.add(sql.getQuery());
                }
            }
        }
    }

    @Test
    void pages_are_read_written_deleted_and_replayed_without_the_query_header() throws Exception {
        try (SyncHarness sync = SyncHarness.create(dir, TestTarget.file(dir))) {
            sync.pg().execute("CREATE TABLE readings (id int PRIMARY KEY, label text, gone boolean NOT NULL DEFAULT false, "
                    + "updated_at timestamptz NOT NULL DEFAULT now())");
            sync.pg().update("INSERT INTO readings (id, label) SELECT g, 'ok' FROM generate_series(1, 30) g");
            sync.pg().update("UPDATE readings SET label = 'refused' WHERE id = 7");
            // a constraint only the target has: its row fails the batch, so the page is written again row by row
            sync.target().execute("CREATE TABLE readings (id INTEGER NOT NULL, label TEXT CHECK (label <> 'refused'), "
                    + "gone INTEGER, updated_at TEXT, PRIMARY KEY (id))");
            sync.table("readings", "table=readings", "cursor=updated_at", "batchSize=10", "softDelete=gone");
            CamelContext camel = sync.start().camel();
            DropQueryHeader notifier = new DropQueryHeader();
            camel.getManagementStrategy().addEventNotifier(notifier);
            ServiceHelper.startService(notifier);

            assertThat(sync.runOnce("readings")).isTrue();
            sync.pg().update("UPDATE readings SET gone = true, updated_at = now() WHERE id = 3");
            assertThat(sync.runOnce("readings")).isTrue();
            sync.target().execute("DROP TABLE readings");
            sync.target().execute("CREATE TABLE readings (id INTEGER NOT NULL, label TEXT, gone INTEGER, updated_at TEXT, PRIMARY KEY (id))");
            ReplayResult replay = camel.createProducerTemplate().requestBodyAndHeader("direct:replay-dead-letters", null,
                    RouteNames.REPLAY_TABLE_HEADER, null, ReplayResult.class);

            assertThat(notifier.stepsRun).containsExactlyInAnyOrder("select-changed-rows", "upsert-rows", "delete-rows",
                    "select-row-by-key");
            assertThat(notifier.stepsGivenTheHeader).as("steps handed their SQL in the CamelSqlQuery header").isEmpty();
            assertThat(replay.failed()).isZero();
            assertThat(sync.target().queryForList("SELECT id FROM readings", Long.class)).containsExactly(7L);
            assertThat(sync.target().queryForObject("SELECT count(*) FROM pgturso_dead_letters", Long.class)).isZero();
        }
    }
}
