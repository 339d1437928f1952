package io.attune.notifier.channel;

import tools.jackson.databind.JsonNode;

/**
 * A delivery the fan-out is to store for one event.
 *
 * @param channelId    the channel, or null for a per-execution callback
 * @param targetKey    unique per event: {@code channel:<id>}, {@code channel:<id>:identity:<id>},
 *                     {@code callback:<execution>}
 * @param callback     {@code {"url", "secret"}} when there is no channel (sent like a webhook)
 * @param recipientId  the identity the message is for (its respond link is bound to it), or null
 * @param recipient    the address (email), or null
 * @param message      {@code {"type", "timestamp", "data": {…}}}
 * @param notSent      why it cannot be sent at all (stored as {@code not_sent} with this reason), or null
 */
public record PlannedDelivery(Long channelId, String targetKey, JsonNode callback, Long recipientId, String recipient,
                              JsonNode message, String notSent) {
}
