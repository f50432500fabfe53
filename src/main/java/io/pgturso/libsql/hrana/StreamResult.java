package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The outcome of one request of a pipeline: a response or an error. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = StreamResult.Ok.class, name = "ok"),
    @JsonSubTypes.Type(value = StreamResult.Failed.class, name = "error")
})
public sealed interface StreamResult {

    /** The request succeeded. */
    record Ok(StreamResponse response) implements StreamResult {
    }

    /** The request failed as a whole (for an execute: the statement failed). */
    record Failed(HranaError error) implements StreamResult {
    }
}
