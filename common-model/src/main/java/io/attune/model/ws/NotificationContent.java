package io.attune.model.ws;

import io.attune.model.inquiry.Assignment;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.attune.model.InquiryStatus;

import java.time.Instant;

/**
 * What a notification says about its inquiry: the contract's prompt, assigned_to, execution and status, and — so
 * that approvers need not look it up — when it times out and who answered or cancelled it.
 */
public record NotificationContent(
        String prompt,
        Assignment assignedTo,
        long execution,
        InquiryStatus status,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant timeoutAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long respondedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long cancelledBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Escalation escalation) {

    public NotificationContent(String prompt, Assignment assignedTo, long execution, InquiryStatus status,
                               Instant timeoutAt, Long respondedBy, Long cancelledBy) {
        this(prompt, assignedTo, execution, status, timeoutAt, respondedBy, cancelledBy, null);
    }

    /** Activity {@code escalated}: the step (from 1) and the assignment it replaced (null: it was unassigned). */
    public record Escalation(int step, @JsonInclude(JsonInclude.Include.ALWAYS) Assignment previousAssignedTo) {
    }
}
