package io.attune.model.message;

public record InquiryCancelled(long inquiryId, long executionId, Long cancelledBy) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_CANCELLED;
    }
}
