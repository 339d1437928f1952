package io.attune.notifier.auth;

import io.attune.core.identity.Actor;
import io.attune.core.identity.SessionGuard.TokenKey;

import java.time.Instant;
import java.util.Map;

/**
 * Who opened a socket (as the database said at the upgrade), with which token, and when that token stops being
 * valid; kept in the WebSocket session's attributes.
 */
public record Authenticated(Actor actor, Instant expiresAt, TokenKey token) {
    private static final String ATTRIBUTE = Authenticated.class.getName();

    void storeIn(Map<String, Object> attributes) {
        attributes.put(ATTRIBUTE, this);
    }

    public static Authenticated from(Map<String, Object> attributes) {
        return (Authenticated) attributes.get(ATTRIBUTE);
    }
}
