package io.attune.model.rest;

import java.time.Instant;

/**
 * The answer to {@code POST /api/v1/tokens}: the token's listing ({@link ApiTokenView}) plus {@code token}, the only
 * time it is ever shown.
 */
public record CreatedApiToken(long id, String name, long identityId, String identityLogin, String prefix,
                              Long createdBy, Instant created, Instant expiresAt, Instant lastUsedAt,
                              Instant revokedAt, String token) {

    public static CreatedApiToken of(ApiTokenView view, String token) {
        return new CreatedApiToken(view.id(), view.name(), view.identityId(), view.identityLogin(), view.prefix(),
                view.createdBy(), view.created(), view.expiresAt(), view.lastUsedAt(), view.revokedAt(), token);
    }
}
