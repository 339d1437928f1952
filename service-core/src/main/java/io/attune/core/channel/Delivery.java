package io.attune.core.channel;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One message to send, as fixed when the event was fanned out.
 *
 * @param id          the delivery row
 * @param messageId   stable across every try (Standard Webhooks' {@code webhook-id}): receivers de-duplicate by it
 * @param eventId     the stored event's public id; null for a test message
 * @param eventType   {@code inquiry.created}, {@code inquiry.responded}, …, or {@code channel.test}; events added
 *                    later arrive with their own routing key as type
 * @param inquiryId   the inquiry the event is about (null for a test message)
 * @param recipientId the identity the message is for (email: one delivery per approver; its links are bound to
 *                    it), or null
 * @param recipient   the address to send to (email), or null
 * @param attempt     1 for the first try
 * @param message     {@code {"type", "timestamp", "data": {"inquiry": {…}, "links": {"view", "respond"?}}}}, the
 *                    answer's secrets masked; {@code data.context} holds the execution's result (masked) where the
 *                    fan-out added it
 */
public record Delivery(long id, String messageId, Long eventId, String eventType, Long inquiryId, Long recipientId,
                       String recipient, int attempt, Instant created, JsonNode message) {
}
