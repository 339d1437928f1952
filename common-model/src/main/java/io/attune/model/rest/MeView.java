package io.attune.model.rest;

import java.util.List;

/** {@code GET /api/v1/me}: the caller as the database knows them now. */
public record MeView(long id, String login, String displayName, List<String> roles, List<String> groups) {
}
