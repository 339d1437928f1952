package io.attune.model.rest;

import tools.jackson.databind.JsonNode;

public record RespondRequest(JsonNode response) {
}
