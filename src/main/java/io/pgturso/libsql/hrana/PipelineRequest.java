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

    /** About the bytes of its JSON (its statements' text, arguments and steps): a first size for its body's buffer. */
    int sizeHint() {
        long bytes = 256;
        for (StreamRequest request : requests) {
            if (request instanceof StreamRequest.Execute execute) {
                bytes += execute.stmt().sizeHint();
            } else if (request instanceof StreamRequest.Batch batch) {
                for (BatchStep step : batch.batch().steps()) {
                    bytes += 160 + step.stmt().sizeHint();
                }
            }
        }
        return (int) Math.min(bytes, Integer.MAX_VALUE - 16);
    }
}
