package io.attune.core.execution;

import io.attune.model.ExecutionStatus;
import io.attune.model.rest.ExecutionView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

public record Execution(long id, String actionRef, JsonNode parameters, ExecutionStatus status, JsonNode result,
                        Long requestedBy, Instant created, Instant updated) {

    /**
     * The execution with {@code shownResult} in place of its result: what {@code ResultMask} makes of it, so that an
     * answer's secrets never leave through a view.
     */
    public ExecutionView toView(JsonNode shownResult) {
        return new ExecutionView(id, actionRef, parameters, status, shownResult, created, updated);
    }
}
