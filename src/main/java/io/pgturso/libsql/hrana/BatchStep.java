package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** One statement of a batch, run only when its condition (if any) holds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchStep(BatchCondition condition, Stmt stmt) {

    public BatchStep {
        Objects.requireNonNull(stmt, "stmt");
    }

    public static BatchStep always(Stmt stmt) {
        return new BatchStep(null, stmt);
    }

    public static BatchStep when(BatchCondition condition, Stmt stmt) {
        return new BatchStep(condition, stmt);
    }
}
