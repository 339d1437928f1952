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
        @JsonInclude(JsonInclude.Include.NON_NULL) Escalation escalation,
        // activity "updated": the approvals so far and how many are required (docs/policies.md#quorum)
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer approvals,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer approvalsRequired,
        // activity "reminder": which reminder this is (1, 2, ...)
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer reminder) {

    public NotificationContent(String prompt, Assignment assignedTo, long execution, InquiryStatus status,
                               Instant timeoutAt, Long respondedBy, Long cancelledBy) {
        this(prompt, assignedTo, execution, status, timeoutAt, respondedBy, cancelledBy, null, null, null, null);
    }

    /** Activity {@code escalated}: the step (from 1) and the assignment it replaced (null: it was unassigned). */
    public record Escalation(int step, @JsonInclude(JsonInclude.Include.ALWAYS) Assignment previousAssignedTo) {
    }
}
