package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The response to an {@code execute} or {@code batch} request. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = StreamResponse.Execute.class, name = "execute"),
    @JsonSubTypes.Type(value = StreamResponse.Batch.class, name = "batch")
})
public sealed interface StreamResponse {

    /** The result of one statement. */
    record Execute(StatementResult result) implements StreamResponse {
    }

    /** The results of a batch's steps. */
    record Batch(BatchResult result) implements StreamResponse {
    }
}
