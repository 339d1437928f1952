package io.attune.core.execution;

import io.attune.model.ExecutionStatus;
import io.attune.model.rest.ExecutionView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/** An execution; {@code parent} is the workflow execution it is a task run of (null when started on its own). */
public record Execution(long id, String actionRef, JsonNode parameters, ExecutionStatus status, JsonNode result,
                        Long requestedBy, Instant created, Instant updated, Long parent) {

    public Execution(long id, String actionRef, JsonNode parameters, ExecutionStatus status, JsonNode result,
                     Long requestedBy, Instant created, Instant updated) {
        this(id, actionRef, parameters, status, result, requestedBy, created, updated, null);
    }

    /**
     * The execution with {@code shownResult} in place of its result: what {@code ResultMask} makes of it, so that an
     * answer's secrets never leave through a view.
     */
    public ExecutionView toView(JsonNode shownResult) {
        return new ExecutionView(id, actionRef, parameters, status, shownResult, created, updated, parent,
                requestedBy);
    }
}
