package io.attune.model.rest;

import io.attune.model.InquiryStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/** An inquiry in full (the seed's detail, plus {@code responded_by}). */
public record InquiryView(long id, long execution, String prompt, JsonNode responseSchema, Long assignedTo,
                          InquiryStatus status, JsonNode response, Long respondedBy, Instant timeoutAt,
                          Instant respondedAt, Instant created, Instant updated) {
}
