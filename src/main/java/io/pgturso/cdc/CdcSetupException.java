package io.pgturso.cdc;

import java.util.List;

/** Postgres is not ready for streaming; each problem is one line that says what to fix. */
public final class CdcSetupException extends RuntimeException {
    private final List<String> problems;

    public CdcSetupException(List<String> problems) {
        super("Postgres is not ready for change streaming:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each with its fix. */
    public List<String> problems() {
        return problems;
    }
}
