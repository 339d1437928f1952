package io.attune.model.message;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/**
 * The envelope every message travels in (docs/protocol.md §2).
 *
 * @param headers string headers; {@code source_service} always, {@code event_id} once the suite has stored
 *                and sequenced the event (the id notifications carry)
 */
public record MessageEnvelope<P extends MessagePayload>(
        UUID messageId,
        UUID correlationId,
        MessageType messageType,
        String version,
        Instant timestamp,
        Map<String, String> headers,
        P payload) {

    public static final String VERSION = "1.0";
    public static final String SOURCE_SERVICE = "source_service";
    public static final String EVENT_ID = "event_id";

    /** A new message with a fresh id; the correlation id ties it to the message or request that caused it. */
    public static <P extends MessagePayload> MessageEnvelope<P> of(P payload, UUID correlationId, String sourceService) {
        return new MessageEnvelope<>(UUID.randomUUID(), correlationId == null ? UUID.randomUUID() : correlationId,
                payload.messageType(), VERSION, Instant.now().truncatedTo(ChronoUnit.MICROS),
                Map.of(SOURCE_SERVICE, sourceService), payload);
    }

    public String routingKey() {
        return messageType.routingKey();
    }

    public MessageEnvelope<P> withHeader(String name, String value) {
        var copy = new java.util.LinkedHashMap<>(headers == null ? Map.<String, String>of() : headers);
        copy.put(name, value);
        return new MessageEnvelope<>(messageId, correlationId, messageType, version, timestamp, copy, payload);
    }
}
