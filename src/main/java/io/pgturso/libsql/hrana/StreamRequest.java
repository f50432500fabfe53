package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** A request inside a pipeline: only {@code execute} and {@code batch}, the two every libSQL server accepts. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = StreamRequest.Execute.class, name = "execute"),
    @JsonSubTypes.Type(value = StreamRequest.Batch.class, name = "batch")
})
public sealed interface StreamRequest {

    static StreamRequest execute(Stmt stmt) {
        return new Execute(stmt);
    }

    static StreamRequest batch(List<BatchStep> steps) {
        return new Batch(new Steps(steps));
    }

    /** Runs one statement. */
    record Execute(Stmt stmt) implements StreamRequest {
    }

    /** Runs steps in order, each under its condition. */
    record Batch(Steps batch) implements StreamRequest {
    }

    /** The {@code batch} object of a batch request. */
    record Steps(List<BatchStep> steps) {
        public Steps {
            steps = List.copyOf(steps);
        }
    }
}
