package io.attune.model.rest;

import io.attune.model.ExecutionStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

public record ExecutionView(long id, String actionRef, JsonNode parameters, ExecutionStatus status, JsonNode result,
                            Instant created, Instant updated) {
}
