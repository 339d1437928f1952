package io.attune.model.message;

import java.time.Instant;

/**
 * A pending inquiry's periodic reminder (docs/policies.md#reminders): which one of them ({@code reminder}, 1, 2, …)
 * and when the inquiry times out.
 */
public record InquiryReminder(long inquiryId, long executionId, int reminder, Instant timeoutAt)
        implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_REMINDER;
    }
}
