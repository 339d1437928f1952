package io.attune.model.message;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

public record InquiryResponded(long inquiryId, long executionId, JsonNode response, Long respondedBy,
                               Instant respondedAt) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_RESPONDED;
    }
}
