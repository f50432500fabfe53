package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** The condition under which the server runs a batch step. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BatchCondition.Ok.class, name = "ok"),
    @JsonSubTypes.Type(value = BatchCondition.Error.class, name = "error"),
    @JsonSubTypes.Type(value = BatchCondition.Not.class, name = "not"),
    @JsonSubTypes.Type(value = BatchCondition.And.class, name = "and"),
    @JsonSubTypes.Type(value = BatchCondition.Or.class, name = "or"),
    @JsonSubTypes.Type(value = BatchCondition.IsAutocommit.class, name = "is_autocommit")
})
public sealed interface BatchCondition {

    static BatchCondition ok(int step) {
        return new Ok(step);
    }

    static BatchCondition error(int step) {
        return new Error(step);
    }

    static BatchCondition not(BatchCondition condition) {
        return new Not(condition);
    }

    static BatchCondition and(List<BatchCondition> conditions) {
        return new And(conditions);
    }

    static BatchCondition or(List<BatchCondition> conditions) {
        return new Or(conditions);
    }

    static BatchCondition isAutocommit() {
        return new IsAutocommit();
    }

    /** True when the step ran and succeeded. */
    record Ok(int step) implements BatchCondition {
    }

    /** True when the step ran and failed. */
    record Error(int step) implements BatchCondition {
    }

    /** Negation. */
    record Not(BatchCondition cond) implements BatchCondition {
    }

    /** True when all are true. */
    record And(List<BatchCondition> conds) implements BatchCondition {
        public And {
            conds = List.copyOf(conds);
        }
    }

    /** True when any is true. */
    record Or(List<BatchCondition> conds) implements BatchCondition {
        public Or {
            conds = List.copyOf(conds);
        }
    }

    /** True when the stream is outside an explicit transaction. */
    record IsAutocommit() implements BatchCondition {
    }
}
