package io.attune.model.rest;

import io.attune.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/** An execution; {@code requested_by} is the identity that requested it (null when the suite started it). */
public record ExecutionView(long id, String actionRef, JsonNode parameters, ExecutionStatus status, JsonNode result,
                            Long requestedBy, Instant created, Instant updated) {
}
