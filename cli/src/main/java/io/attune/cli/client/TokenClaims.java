package io.attune.cli.client;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What a token says about its holder, read from the JWT's payload without checking the signature (only the server
 * can): {@code sub} is the identity id, {@code login}, {@code roles}, {@code exp}. Used to know who "me" is without a
 * round trip, and by {@code whoami} on servers without {@code GET /api/v1/me}.
 */
public record TokenClaims(Long identityId, String login, List<String> roles, Instant expiresAt) {

    public static Optional<TokenClaims> read(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode payload = Json.tree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            Long id = payload.path("sub").isString() && payload.path("sub").asString().matches("\\d{1,18}")
                    ? Long.valueOf(payload.path("sub").asString()) : null;
            List<String> roles = new ArrayList<>();
            payload.path("roles").forEach(role -> roles.add(role.asString()));
            Instant expires = payload.path("exp").isNumber() ? Instant.ofEpochSecond(payload.path("exp").asLong()) : null;
            String login = payload.path("login").isString() ? payload.path("login").asString() : null;
            return Optional.of(new TokenClaims(id, login, List.copyOf(roles), expires));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
