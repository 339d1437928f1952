package io.attune.model.rest;

import java.time.Instant;

/** {@code POST /api/v1/tokens}: a name for people, the identity the token speaks for, and an optional expiry. */
public record CreateApiTokenRequest(String name, Long identityId, Instant expiresAt) {
}
