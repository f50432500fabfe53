package io.pgturso.libsql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgturso.libsql.hrana.Value;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests are cut where counting every character of their texts puts the cut, not earlier. */
class BatchPlannerTest {

    private static final ParsedSql INSERT = ParsedSql.of("INSERT INTO t (id, payload) VALUES (?, ?)");

    @Test
    void a_request_is_cut_where_exact_counting_of_its_texts_puts_the_cut() throws SQLException {
        // texts whose JSON is close to their length, and some that escape (quotes, control characters, non-ASCII)
        List<String> texts = List.of("x".repeat(400), "it's \"quoted\"\n".repeat(20), "é".repeat(150), "\u0001".repeat(30));
        List<BoundStatement> entries = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            entries.add(new BoundStatement(INSERT, List.of(Value.of(i), Value.of(texts.get(i % texts.size())))));
        }
        long max = 20_000;
        BatchPlanner planner = new BatchPlanner(Integer.MAX_VALUE, max, 1_000, true, true, false, PlannedRequest.Guard.OK_CHAIN);

        List<PlannedRequest> requests = planner.plan(entries, PlannedRequest.Ending.COMMIT_IF_ALL_OK);

        assertThat(requests).hasSizeGreaterThan(3);
        int next = 0;
        for (PlannedRequest request : requests) {
            assertThat(request.firstEntry()).isEqualTo(next);
            next += request.entryCount();
            long bytes = exactBytes(entries, request.firstEntry(), request.entryCount());
            assertThat(bytes).isLessThanOrEqualTo(max);
            if (next < entries.size()) {
                // as full as it can be: the next row would not have fitted
                assertThat(bytes + INSERT.multiRowInsert().rowJsonBytes() + RequestSize.of(entries.get(next).args()))
                        .isGreaterThan(max);
            }
        }
        assertThat(next).isEqualTo(entries.size());
    }

    // one multi-row statement per request: the envelope, its step and first row's text, the tuples of the other rows,
    // and every argument counted character by character
    private static long exactBytes(List<BoundStatement> entries, int first, int count) {
        long bytes = RequestSize.FIXED + RequestSize.PER_STEP + INSERT.jsonBytes()
                + (count - 1) * INSERT.multiRowInsert().rowJsonBytes();
        for (int k = first; k < first + count; k++) {
            bytes += RequestSize.of(entries.get(k).args());
        }
        return bytes;
    }
}
