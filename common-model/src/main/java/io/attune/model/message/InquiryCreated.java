package io.attune.model.message;

import io.attune.model.inquiry.Assignment;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

public record InquiryCreated(long inquiryId, long executionId, String prompt, JsonNode responseSchema,
                             Assignment assignedTo, Instant timeoutAt) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_CREATED;
    }
}
