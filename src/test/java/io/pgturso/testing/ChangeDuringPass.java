package io.pgturso.testing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A row hook for tests ({@code direct:change-during-pass}, see {@link #ROUTE}) that hands each row to the action a test
 * set: so a test can change Postgres at an exact moment of a pass, e.g. while the page holding a row is being read.
 */
public class ChangeDuringPass {
    /** The hook route, to write into the harness's routes folder as {@code change-during-pass.camel.yaml}. */
    public static final String ROUTE = """
            - route:
                id: change-during-pass
                from:
                  uri: direct:change-during-pass
                  steps:
                    - bean:
                        beanType: io.pgturso.testing.ChangeDuringPass
                        method: row
            """;

    private static final AtomicReference<Consumer<Map<String, Object>>> ACTION = new AtomicReference<>(row -> { });

    /** Sets what the hook does with each row (an exception dead-letters the row, as any hook failure does). */
    public static void onRow(Consumer<Map<String, Object>> action) {
        ACTION.set(action);
    }

    /** Back to letting every row through unchanged. */
    public static void reset() {
        ACTION.set(row -> { });
    }

    /** The hook's step: the row (target column name to value) goes on unchanged. */
    public void row(Map<String, Object> row) {
        ACTION.get().accept(row);
    }
}
