package io.attune.model.ws;

/**
 * A notification (docs/protocol.md §5). {@code id} is the stored event's id, increasing across the whole suite;
 * {@code entity} is the inquiry id as a string.
 */
public record Notification(long id, String entityType, String entity, String activity, NotificationContent content) {
}
