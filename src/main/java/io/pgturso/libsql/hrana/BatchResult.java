package io.pgturso.libsql.hrana;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Per step of a batch: its result if it ran and succeeded, its error if it ran and failed, both null if skipped. */
public record BatchResult(
        @JsonProperty("step_results") List<StatementResult> stepResults,
        @JsonProperty("step_errors") List<HranaError> stepErrors) {

    public BatchResult {
        stepResults = stepResults == null ? List.of() : stepResults;
        stepErrors = stepErrors == null ? List.of() : stepErrors;
    }

    public StatementResult result(int step) {
        return step < stepResults.size() ? stepResults.get(step) : null;
    }

    public HranaError error(int step) {
        return step < stepErrors.size() ? stepErrors.get(step) : null;
    }

    public boolean succeeded(int step) {
        return result(step) != null;
    }

    public boolean skipped(int step) {
        return result(step) == null && error(step) == null;
    }
}
