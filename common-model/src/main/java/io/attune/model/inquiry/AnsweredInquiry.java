package io.attune.model.inquiry;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

/** What {@code __inquiry} becomes in the result of an execution resumed with an answer (CONTRACT §3.3). */
public record AnsweredInquiry(long id, String prompt, String status, JsonNode response, Long respondedBy,
                              Instant respondedAt) {

    public static AnsweredInquiry responded(long id, String prompt, JsonNode response, Long respondedBy,
                                            Instant respondedAt) {
        return new AnsweredInquiry(id, prompt, "responded", response, respondedBy, respondedAt);
    }
}
