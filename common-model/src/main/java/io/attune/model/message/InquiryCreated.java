package io.attune.model.message;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

public record InquiryCreated(long inquiryId, long executionId, String prompt, JsonNode responseSchema,
                             Long assignedTo, Instant timeoutAt) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_CREATED;
    }
}
