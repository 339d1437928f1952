package io.attune.model.rest;

import tools.jackson.databind.JsonNode;

public record CreateExecutionRequest(String actionRef, JsonNode parameters) {
}
