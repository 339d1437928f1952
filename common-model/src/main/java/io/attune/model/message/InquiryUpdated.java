package io.attune.model.message;

import java.time.Instant;

/**
 * An answer counted toward an inquiry's quorum while it stays pending (docs/policies.md#quorum): who answered, when,
 * and how many approvals it has of how many required. The answer itself is not carried (it may hold secrets).
 */
public record InquiryUpdated(long inquiryId, long executionId, Long respondedBy, Instant respondedAt, int approvals,
                             int approvalsRequired) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_UPDATED;
    }
}
