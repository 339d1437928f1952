package io.attune.model.inquiry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.attune.model.InquiryStatus;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * What {@code __inquiry} becomes in an execution's result once its inquiry is over. Answered (docs/protocol.md §3.3):
 * {@code {"id", "prompt", "status": "responded", "response", "responded_by", "responded_at", "responses"}} —
 * {@code responses} being every answer, oldest first (several with a quorum, docs/policies.md#quorum); timed out:
 * {@code {"id", "prompt", "status": "timeout", "timeout_at"}}, plus {@code "response"} and {@code "defaulted": true}
 * when {@code on_timeout} gave the answer; cancelled: {@code {"id", "prompt", "status": "cancelled", "cancelled_by"}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InquiryOutcome(long id, String prompt, InquiryStatus status, JsonNode response, Long respondedBy,
                             Instant respondedAt, Instant timeoutAt, Long cancelledBy, List<Answer> responses,
                             Boolean defaulted) {

    /** One person's answer, as kept. */
    public record Answer(JsonNode response, long respondedBy, Instant respondedAt) {
    }

    public static InquiryOutcome responded(long id, String prompt, JsonNode response, Long respondedBy,
                                           Instant respondedAt, List<Answer> responses) {
        return new InquiryOutcome(id, prompt, InquiryStatus.RESPONDED, response, respondedBy, respondedAt, null, null,
                responses, null);
    }

    public static InquiryOutcome timedOut(long id, String prompt, Instant timeoutAt) {
        return new InquiryOutcome(id, prompt, InquiryStatus.TIMEOUT, null, null, null, timeoutAt, null, null, null);
    }

    /** Timed out, and the execution goes on with the inquiry's {@code on_timeout} answer. */
    public static InquiryOutcome defaulted(long id, String prompt, Instant timeoutAt, JsonNode response,
                                           List<Answer> responses) {
        return new InquiryOutcome(id, prompt, InquiryStatus.TIMEOUT, response, null, null, timeoutAt, null,
                responses, true);
    }

    public static InquiryOutcome cancelled(long id, String prompt, Long cancelledBy) {
        return new InquiryOutcome(id, prompt, InquiryStatus.CANCELLED, null, null, null, null, cancelledBy, null,
                null);
    }
}
