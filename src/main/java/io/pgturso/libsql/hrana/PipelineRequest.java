package io.pgturso.libsql.hrana;

import java.util.List;

/** The body of {@code POST /v2/pipeline}; the baton is always null because every request stands alone. */
public record PipelineRequest(String baton, List<StreamRequest> requests) {

    public PipelineRequest {
        requests = List.copyOf(requests);
    }

    public static PipelineRequest of(StreamRequest... requests) {
        return new PipelineRequest(null, List.of(requests));
    }
}
