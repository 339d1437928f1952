package io.attune.model.audit;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One entry of the suite's audit trail, as {@code GET /api/v1/audit} lists it and the export writes it: what changed
 * ({@code entity_type} inquiry, identity, group or channel, and {@code entity_id}), the {@code action}, who did it
 * ({@code actor} is a login or {@code system}; {@code actor_id} null for the system), when, {@code details}, and its
 * place in the chain: {@code seq} (1, 2, 3, … with no gap) and {@code hash} (see {@link AuditChain}).
 */
public record AuditEntry(long id, Long seq, String entityType, String entityId, String action, String actor,
                         Long actorId, Instant occurred, JsonNode details, String hash) {
}
