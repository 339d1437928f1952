package io.attune.model.message;

import io.attune.model.inquiry.Assignment;

import java.time.Instant;

/**
 * A pending inquiry was reassigned by its escalation: {@code assigned_to} is the new assignment,
 * {@code previous_assigned_to} the one it replaced (null: it was unassigned), {@code step} the escalation step
 * (from 1).
 */
public record InquiryEscalated(long inquiryId, long executionId, Assignment assignedTo, Assignment previousAssignedTo,
                               int step, Instant escalatedAt) implements MessagePayload {
    @Override
    public MessageType messageType() {
        return MessageType.INQUIRY_ESCALATED;
    }
}
