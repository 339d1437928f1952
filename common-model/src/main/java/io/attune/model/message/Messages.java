package io.attune.model.message;

import io.attune.model.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Reads and writes enveloped messages; a message that is not one is a {@link MalformedMessageException}. */
public final class Messages {
    private Messages() {
    }

    public static byte[] write(MessageEnvelope<?> envelope) {
        return Json.writeBytes(envelope);
    }

    public static MessageEnvelope<MessagePayload> read(byte[] body) {
        return read(new String(body, StandardCharsets.UTF_8));
    }

    public static MessageEnvelope<MessagePayload> read(String body) {
        JsonNode root;
        try {
            root = Json.tree(body);
        } catch (JacksonException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        MessageType type;
        try {
            type = MessageType.fromWireName(text(root, "message_type"));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(e.getMessage());
        }
        JsonNode payloadNode = root.get("payload");
        if (payloadNode == null || !payloadNode.isObject()) {
            throw new MalformedMessageException("payload is missing or not an object");
        }
        if (!payloadNode.hasNonNull("execution_id") || !payloadNode.get("execution_id").canConvertToLong()) {
            throw new MalformedMessageException("payload.execution_id is missing or not an integer");
        }
        try {
            MessagePayload payload = Json.mapper().treeToValue(payloadNode, type.payloadType());
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode headerNode = root.get("headers");
            if (headerNode != null && headerNode.isObject()) {
                headerNode.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
            }
            return new MessageEnvelope<>(
                    uuid(root, "message_id"),
                    root.hasNonNull("correlation_id") ? uuid(root, "correlation_id") : null,
                    type,
                    root.hasNonNull("version") ? root.get("version").asString() : MessageEnvelope.VERSION,
                    root.hasNonNull("timestamp") ? Instant.parse(root.get("timestamp").asString()) : null,
                    headers,
                    payload);
        } catch (JacksonException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new MalformedMessageException("invalid " + type.wireName() + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isString()) {
            throw new MalformedMessageException(field + " is missing or not a string");
        }
        return node.asString();
    }

    private static UUID uuid(JsonNode root, String field) {
        try {
            return UUID.fromString(text(root, field));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(field + " is not a UUID");
        }
    }
}
