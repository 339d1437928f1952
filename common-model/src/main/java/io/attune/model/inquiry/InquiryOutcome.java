package io.attune.model.inquiry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.attune.model.InquiryStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * What {@code __inquiry} becomes in an execution's result once its inquiry is over. Answered (docs/protocol.md §3.3):
 * {@code {"id", "prompt", "status": "responded", "response", "responded_by", "responded_at"}}; timed out:
 * {@code {"id", "prompt", "status": "timeout", "timeout_at"}}; cancelled: {@code {"id", "prompt", "status":
 * "cancelled", "cancelled_by"}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InquiryOutcome(long id, String prompt, InquiryStatus status, JsonNode response, Long respondedBy,
                             Instant respondedAt, Instant timeoutAt, Long cancelledBy) {

    public static InquiryOutcome responded(long id, String prompt, JsonNode response, Long respondedBy,
                                           Instant respondedAt) {
        return new InquiryOutcome(id, prompt, InquiryStatus.RESPONDED, response, respondedBy, respondedAt, null, null);
    }

    public static InquiryOutcome timedOut(long id, String prompt, Instant timeoutAt) {
        return new InquiryOutcome(id, prompt, InquiryStatus.TIMEOUT, null, null, null, timeoutAt, null);
    }

    public static InquiryOutcome cancelled(long id, String prompt, Long cancelledBy) {
        return new InquiryOutcome(id, prompt, InquiryStatus.CANCELLED, null, null, null, null, cancelledBy);
    }
}
