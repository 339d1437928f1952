package io.attune.model.channel;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A channel as admins read it: {@code {"id", "type", "name", "config", "filters", "enabled", "status", "created",
 * "updated"}}. Secrets in {@code config} (a webhook's {@code secret}, Slack's {@code signing_secret}) are shown as
 * {@code "********"} except in the answer to the request that set them.
 */
public record ChannelView(long id, String type, String name, JsonNode config, JsonNode filters, boolean enabled,
                          ChannelStatus status, Instant created, Instant updated) {
}
