package io.attune.model.rest;

import java.time.Instant;
import java.util.List;

public record IdentityView(long id, String login, String displayName, List<String> roles, Instant created,
                           Instant updated) {
}
