package io.attune.core.execution;

import io.attune.model.ExecutionStatus;
import io.attune.model.rest.ExecutionView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

public record Execution(long id, String actionRef, JsonNode parameters, ExecutionStatus status, JsonNode result,
                        Long requestedBy, Instant created, Instant updated) {

    public ExecutionView toView() {
        return new ExecutionView(id, actionRef, parameters, status, result, requestedBy, created, updated);
    }
}
