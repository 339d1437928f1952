package io.attune.model.rest;

import java.time.Instant;

/**
 * An API token as admins list it: never the token itself (it is shown once, at creation) nor its digest.
 * {@code prefix} is the token's first characters, to tell tokens apart; {@code last_used_at} the last time api-service
 * accepted it (to within a minute); {@code revoked_at} null while it works.
 */
public record ApiTokenView(long id, String name, long identityId, String identityLogin, String prefix,
                           Long createdBy, Instant created, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
}
