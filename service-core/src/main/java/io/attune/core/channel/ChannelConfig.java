package io.attune.core.channel;

import tools.jackson.databind.JsonNode;

/**
 * The target of a delivery as a sender sees it: a stored channel, or a per-execution callback (then {@code id} is
 * null, {@code type} is {@code webhook} and {@code config} is the callback's {@code {"url", "secret"}}).
 *
 * @param config the channel's settings with its secrets in clear (a sender needs them to sign)
 */
public record ChannelConfig(Long id, String type, String name, JsonNode config) {

    /** A string setting, or null when absent or not a string. */
    public String text(String key) {
        JsonNode value = config == null ? null : config.get(key);
        return value != null && value.isString() ? value.asString() : null;
    }
}
