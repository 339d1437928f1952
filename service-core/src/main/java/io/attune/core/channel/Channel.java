package io.attune.core.channel;

import io.attune.model.channel.ChannelStatus;
import io.attune.model.channel.ChannelView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/** A channel as stored, secrets in clear. */
public record Channel(long id, String type, String name, JsonNode config, JsonNode filters, boolean enabled,
                      long startAfterEvent, Instant created, Instant updated) {

    public ChannelConfig target() {
        return new ChannelConfig(id, type, name, config);
    }

    /** As admins read it: secrets masked. */
    public ChannelView toView(ChannelStatus status) {
        return new ChannelView(id, type, name, ChannelConfigRules.masked(type, config), filters, enabled, status,
                created, updated);
    }

    /** As the answer to the request that set its secrets reads it: secrets in clear, this once. */
    public ChannelView toViewWithSecrets(ChannelStatus status) {
        return new ChannelView(id, type, name, config, filters, enabled, status, created, updated);
    }
}
