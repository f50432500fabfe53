package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body the server answers to {@code POST /v2/pipeline}: one result per request, in order. */
public record PipelineResponse(String baton, @JsonProperty("base_url") String baseUrl, List<StreamResult> results) {

    public PipelineResponse {
        results = results == null ? List.of() : results;
    }
}
