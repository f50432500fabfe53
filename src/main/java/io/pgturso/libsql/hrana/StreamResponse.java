package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The response to an {@code execute} or {@code batch} request. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = StreamResponse.Execute.class, name = "execute"),
    @JsonSubTypes.Type(value = StreamResponse.Batch.class, name = "batch"),
    @JsonSubTypes.Type(value = StreamResponse.Close.class, name = "close")
})
public sealed interface StreamResponse {

    /** The result of one statement. */
    record Execute(StatementResult result) implements StreamResponse {
    }

    /** The answer to a {@code close} request. */
    record Close() implements StreamResponse {
    }

    /** The results of a batch's steps. */
    record Batch(BatchResult result) implements StreamResponse {
    }
}
