package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** A request inside a pipeline: {@code execute} and {@code batch}, which every libSQL server accepts, and {@code close}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = StreamRequest.Execute.class, name = "execute"),
    @JsonSubTypes.Type(value = StreamRequest.Batch.class, name = "batch"),
    @JsonSubTypes.Type(value = StreamRequest.Close.class, name = "close")
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

    /** Ends the stream the pipeline opened, so the server need not keep it until it expires. */
    record Close() implements StreamRequest {
    }

    /** The {@code batch} object of a batch request. */
    record Steps(List<BatchStep> steps) {
        public Steps {
            steps = List.copyOf(steps);
        }
    }
}
