package io.attune.model.rest;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** An identity as admins read it; never its password or password hash. */
public record IdentityView(long id, String login, String displayName, List<String> roles, List<String> groups,
                           boolean disabled, JsonNode attributes, Instant created, Instant updated) {
}
