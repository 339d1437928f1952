package io.attune.cli.client;

import io.attune.model.rest.UserView;

import java.time.Instant;

/**
 * What {@code attune login} keeps in {@code $XDG_CONFIG_HOME/attune/credentials.json} (mode 0600): the server, its
 * token, when the token expires and who it is for. A local file of this client, not a wire shape.
 */
public record Credentials(String url, String accessToken, Instant expiresAt, UserView user) {
}
