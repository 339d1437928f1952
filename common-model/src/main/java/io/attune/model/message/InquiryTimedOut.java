package io.attune.model.message;

import java.time.Instant;

public record InquiryTimedOut(long inquiryId, long executionId, Instant timeoutAt) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_TIMED_OUT;
    }
}
