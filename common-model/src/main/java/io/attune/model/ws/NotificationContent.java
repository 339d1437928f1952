package io.attune.model.ws;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.attune.model.InquiryStatus;

import java.time.Instant;

/**
 * What a notification says about its inquiry: the contract's prompt, assigned_to, execution and status, and — so
 * that approvers need not look it up — when it times out and who answered or cancelled it.
 */
public record NotificationContent(
        String prompt,
        Long assignedTo,
        long execution,
        InquiryStatus status,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant timeoutAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long respondedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long cancelledBy) {
}
