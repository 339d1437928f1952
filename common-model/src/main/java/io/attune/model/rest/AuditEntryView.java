package io.attune.model.rest;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One transition in an inquiry's history: {@code action} is created, responded, timeout or cancelled;
 * {@code actor} is the login of who did it, or {@code system}; {@code details} holds what (e.g. the response).
 */
public record AuditEntryView(long id, long inquiry, String action, Long actorId, String actor, Instant occurred,
                             JsonNode details) {
}
