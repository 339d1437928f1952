package io.attune.model.rest;

import io.attune.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An execution as the API shows it. {@code parent}: the workflow execution this one is a task run of (null for an
 * execution started on its own); {@code requested_by}: the identity that started it (null when the suite did).
 */
public record ExecutionView(long id, String actionRef, JsonNode parameters, ExecutionStatus status, JsonNode result,
                            Instant created, Instant updated, Long parent, Long requestedBy) {
}
